package dev.asyncdrop.spring.internal;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import dev.asyncdrop.coordinator.DependencyCycleException;
import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.InvalidDropPlanException;

/**
 * Turns a context's droppable beans into a {@link DropPlan}: strictly at startup, where anything that cannot be
 * planned fails the start, and leniently after a failed refresh, where the beans created so far must be dropped
 * whatever is wrong with them, one at a time if need be. Immutable and thread-safe.
 */
final class DropPlanner {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final DropSettings settings;

    private final DropCandidates candidates;

    DropPlanner(DropSettings settings, DropCandidates candidates) {
        this.settings = settings;
        this.candidates = candidates;
    }

    /**
     * Plans the drops of the singletons that exist at startup, and warns about lifecycle beans that would still be
     * running while what they use, or they themselves, are dropped.
     * @param beanFactory the bean factory that created the beans
     * @param singletons the singletons that exist at startup
     * @param listeners the listeners of the plan
     * @return the plan
     * @throws InvalidDropPlanException when the beans or the configuration cannot be planned
     */
    DropPlan plan(ConfigurableListableBeanFactory beanFactory, BeanDropRegistry.StartupSingletons singletons,
            List<DropListener> listeners) {
        BeanDependencyGraph graph = BeanDependencyGraph.read(beanFactory, settings, singletons.droppable(),
                candidates::droppable, singletons.dependencies(), true);
        DropPlanProblems problems = new DropPlanProblems(beanFactory, settings);
        problems.lifecycleConflicts(graph, singletons.lifecycleBeans()).forEach(logger::warn);
        problems.droppedWhileRunning(graph).forEach(logger::warn);
        UnorderedExecutors.warnings(beanFactory, graph, settings).forEach(logger::warn);
        UnorderedExecutors.schedulerWarnings(beanFactory, graph).forEach(logger::warn);
        return build(graph, problems, listeners);
    }

    /**
     * Plans the drops of the beans created before the refresh failed. Configuration that names beans never
     * created is ignored; if the beans still cannot be planned, they are dropped one at a time, the last created
     * first, the order in which Spring would destroy them.
     * @param beanFactory the bean factory that created the beans
     * @param beans the droppable and adapted beans created, by plan name, in creation order
     * @param listeners the listeners of the plan
     * @return the plan
     */
    DropPlan planAfterFailedRefresh(ConfigurableListableBeanFactory beanFactory, Map<String, Object> beans,
            List<DropListener> listeners) {
        logger.info("Dropping the " + beans.size() + " async-droppable beans created before the context failed to "
                + "start: " + beans.keySet());
        try {
            return build(BeanDependencyGraph.read(beanFactory, settings, beans, candidates::droppable, Map.of(),
                    false), new DropPlanProblems(beanFactory, settings), listeners);
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot plan the drops of the beans created before the context failed to start, so they "
                    + "are dropped one at a time, the last created first: " + ex.getMessage());
            return sequentialPlan(beans, listeners);
        }
    }

    private DropPlan build(BeanDependencyGraph graph, DropPlanProblems problems, List<DropListener> listeners) {
        DropPlan.Builder builder = newBuilder(listeners);
        for (BeanDependencyGraph.Node node : graph.nodes()) {
            builder.add(node.name, node.droppable, spec -> {
                spec.phase(node.phase).dependsOn(node.dependsOn.keySet());
                if (node.timeout != null) {
                    spec.timeout(node.timeout);
                }
            });
        }
        try {
            return builder.build();
        }
        catch (DependencyCycleException ex) {
            throw problems.cycle(graph, ex.cycle(), ex);
        }
    }

    private DropPlan sequentialPlan(Map<String, Object> beans, List<DropListener> listeners) {
        DropPlan.Builder builder = newBuilder(listeners);
        String previous = null;
        for (Map.Entry<String, Object> entry : beans.entrySet()) {
            String createdBefore = previous;
            builder.add(entry.getKey(), candidates.droppable(entry.getKey(), entry.getValue()), spec -> {
                spec.phase(settings.defaultPhase());
                if (createdBefore != null) {
                    spec.dependsOn(createdBefore);
                }
            });
            previous = entry.getKey();
        }
        return builder.build();
    }

    private DropPlan.Builder newBuilder(List<DropListener> listeners) {
        DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(settings.phaseTimeout());
        settings.phaseTimeouts().forEach(builder::phaseTimeout);
        listeners.forEach(builder::listener);
        return builder;
    }
}
