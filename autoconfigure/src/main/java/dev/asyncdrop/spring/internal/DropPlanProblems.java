package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.Phased;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.InvalidDropPlanException;

/**
 * Finds what is wrong with the droppable beans of a context, or risky about them, and explains it in the terms a
 * user configures: bean names, injections, {@code @DependsOn} and {@code async-drop.*} properties. Problems fail the
 * startup with an {@link InvalidDropPlanException}; risks (a lifecycle bean still running while what it uses is
 * dropped) are warnings. Not thread-safe: used by the thread that reads the graph.
 */
final class DropPlanProblems {

    private static final String PROPERTY_PREFIX = "async-drop.resources.";

    private final ConfigurableListableBeanFactory beanFactory;

    private final DropSettings settings;

    private final List<String> problems = new ArrayList<>();

    DropPlanProblems(ConfigurableListableBeanFactory beanFactory, DropSettings settings) {
        this.beanFactory = beanFactory;
        this.settings = settings;
    }

    /**
     * Records configuration that names beans which are not in the graph: {@code async-drop.resources.<bean>} (whose
     * keys match bean names loosely, see {@link ResourceKeys}), their {@code depends-on}, and
     * {@code async-drop.adapters.auto-closeables}.
     * @param graph the graph
     */
    void checkConfiguredNames(BeanDependencyGraph graph) {
        ResourceKeys keys = graph.resourceKeys();
        for (String key : keys.unmatched()) {
            problems.add(String.format("%s%s configures %s", PROPERTY_PREFIX, key, whyNotDropped(key)));
        }
        keys.ambiguous().forEach((key, beans) -> problems.add(String.format("%s%s matches beans %s, whose names "
                + "differ only in case, '-' or '_': Spring Boot binds keys that differ only so as one, so they cannot "
                + "be configured apart. Rename one of the beans, or name one exactly, as in %s%s.timeout in "
                + "application.properties, and configure no other of them", PROPERTY_PREFIX, key, quoted(beans),
                PROPERTY_PREFIX, beans.get(0))));
        for (BeanDependencyGraph.Node node : graph.nodes()) {
            List<String> targets = (node.resource != null) ? node.resource.dependsOn() : List.of();
            for (String target : targets) {
                if (graph.node(target) == null) {
                    problems.add(String.format("%s%s.depends-on lists %s", PROPERTY_PREFIX, node.name,
                            whyNotDropped(target)));
                }
            }
        }
        for (String name : settings.autoCloseables()) {
            if (graph.node(name) == null) {
                problems.add("async-drop.adapters.auto-closeables lists " + whyNotAdapted(name));
            }
        }
    }

    private static String quoted(List<String> names) {
        List<String> quoted = names.stream().map(name -> "'" + name + "'").toList();
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1);
    }

    private String whyNotDropped(String name) {
        return explain(name, (described, type) -> {
            if (type != null && AsyncDroppable.class.isAssignableFrom(type)) {
                return described + ", which is not a singleton created at startup: prototype and lazy beans are "
                        + "dropped with the AsyncDropScope instead";
            }
            return described + ", which is not dropped at shutdown: it does not implement AsyncDroppable and is "
                    + "not adapted (async-drop.adapters)";
        });
    }

    private String whyNotAdapted(String name) {
        return explain(name, (described, type) -> {
            if (type != null && AsyncDroppable.class.isAssignableFrom(type)) {
                return described + ", which implements AsyncDroppable and needs no adapter";
            }
            if (type != null && !AutoCloseable.class.isAssignableFrom(type)) {
                return described + ", which is not AutoCloseable";
            }
            return described + ", which is not a singleton created at startup";
        });
    }

    /**
     * @param name a bean name that configuration lists
     * @param why says why the bean named is not what the configuration needs, given its description and its type
     * @return the bean, described, and why; or that there is no bean of that name
     */
    private String explain(String name, BiFunction<String, @Nullable Class<?>, String> why) {
        String beanName = beanNamed(name);
        if (beanName == null) {
            return "'" + name + "', but there is no bean of that name";
        }
        Class<?> type = typeOf(beanName);
        return why.apply("bean '" + beanName + "'" + ((type != null) ? " (" + type.getName() + ")" : ""), type);
    }

    /** The bean a name configures: the bean of that name, else the only one whose name matches it loosely. */
    private @Nullable String beanNamed(String name) {
        if (beanFactory.containsBean(name)) {
            return name;
        }
        String loose = ResourceKeys.loose(name);
        List<String> matches = Arrays.stream(beanFactory.getBeanDefinitionNames())
                .filter(beanName -> ResourceKeys.loose(beanName).equals(loose))
                .toList();
        return (matches.size() == 1) ? matches.get(0) : null;
    }

    private @Nullable Class<?> typeOf(String name) {
        try {
            return beanFactory.getType(name, false);
        }
        catch (NoSuchBeanDefinitionException ex) {
            return null;
        }
    }

    /**
     * Records every dependency on a bean of a higher phase: higher phases are dropped first.
     * @param graph the graph, with all its edges
     */
    void checkPhases(BeanDependencyGraph graph) {
        for (BeanDependencyGraph.Node node : graph.nodes()) {
            node.dependsOn.forEach((name, edge) -> {
                BeanDependencyGraph.Node target = graph.node(name);
                if (target != null && node.phase < target.phase) {
                    problems.add(String.format("Bean '%s' is dropped in phase %d but depends on bean '%s', which is "
                            + "dropped in phase %d: %s. Higher phases are dropped first, so '%s' would be dropped "
                            + "while '%s' may still use it. Drop '%s' in phase %d or higher (%s%s.phase), drop '%s' "
                            + "in phase %d or lower (%s%s.phase), or remove the dependency.", node.name, node.phase,
                            target.name, target.phase, describe(node.name, target.name, edge), target.name,
                            node.name, node.name, target.phase, PROPERTY_PREFIX, node.name, target.name, node.phase,
                            PROPERTY_PREFIX, target.name));
                }
            });
        }
    }

    /**
     * @throws InvalidDropPlanException naming every problem recorded, if there is any
     */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("The beans to drop at shutdown cannot be planned:%n".formatted());
        problems.forEach(problem -> message.append("%n    - %s".formatted(problem)));
        throw new InvalidDropPlanException(message.toString(), "Update the async-drop configuration or the bean "
                + "dependencies as described above. Only singletons that implement AsyncDroppable, and beans "
                + "adapted by async-drop.adapters, are dropped at shutdown; their names are their bean names.",
                null);
    }

    /**
     * Finds lifecycle beans that use a droppable bean of the same or a higher drop phase. Spring stops phases
     * highest first, so such a bean would still be running, and perhaps using what it uses, while that is dropped.
     * @param graph the graph
     * @param lifecycleBeans the names of the lifecycle singletons that are not dropped
     * @return a warning for each such use
     */
    List<String> lifecycleConflicts(BeanDependencyGraph graph, List<String> lifecycleBeans) {
        List<String> warnings = new ArrayList<>();
        for (String beanName : lifecycleBeans) {
            if (!(beanFactory.getSingleton(beanName) instanceof Lifecycle lifecycle)) {
                continue;
            }
            int phase = (lifecycle instanceof Phased phased) ? phased.getPhase() : 0;
            graph.forEachReachableDroppable(beanName, (target, path) -> {
                for (BeanDependencyGraph.Node node : graph.nodesOfBean(target)) {
                    if (node.phase >= phase) {
                        String why = describePath((path != null) ? path : List.of(beanName, target));
                        warnings.add(String.format("Lifecycle bean '%s' (phase %d) uses bean '%s' (%s), which is "
                                + "dropped in phase %d, before '%s' has stopped: Spring stops phases highest first. "
                                + "Give '%s' a phase above %d, or drop '%s' in a phase below %d (%s%s.phase).",
                                beanName, phase, node.name, why, node.phase, beanName, beanName, node.phase,
                                node.name, phase, PROPERTY_PREFIX, node.name));
                    }
                }
            });
        }
        return warnings;
    }

    /**
     * Finds droppable beans that are lifecycle beans too, such as a message listener container, stopped by Spring
     * in the same or a lower phase than they are dropped in: Spring stops phases highest first, so such a bean would
     * be dropped while still running, then stopped. Adapted beans are left out: an adapter drops a bean that stops
     * later on purpose (an executor shut down by its drop, whose stop then does nothing).
     * @param graph the graph
     * @return a warning for each such bean
     */
    List<String> droppedWhileRunning(BeanDependencyGraph graph) {
        List<String> warnings = new ArrayList<>();
        for (BeanDependencyGraph.Node node : graph.nodes()) {
            if (node.bean instanceof AsyncDroppable && node.bean instanceof Lifecycle lifecycle) {
                int phase = (lifecycle instanceof Phased phased) ? phased.getPhase() : 0;
                if (node.phase >= phase) {
                    warnings.add(String.format("Bean '%s' is dropped in phase %d, but it is also a lifecycle bean "
                            + "that Spring stops in phase %d, no earlier: it would be dropped while still running, "
                            + "then stopped. Drop it in a phase below %d (%s%s.phase), or give it a lifecycle phase "
                            + "above %d.", node.name, node.phase, phase, phase, PROPERTY_PREFIX, node.name,
                            node.phase));
                }
            }
        }
        return warnings;
    }

    /**
     * Explains a cycle found when the plan was built.
     * @param graph the graph the plan was built from
     * @param cycle the plan names on the cycle, the first repeated at the end
     * @param cause the exception that reported it
     * @return an exception naming every dependency of the cycle and why it exists
     */
    InvalidDropPlanException cycle(BeanDependencyGraph graph, List<String> cycle, RuntimeException cause) {
        StringBuilder message = new StringBuilder();
        message.append(String.format("The beans below are dropped at shutdown but depend on each other in a "
                + "cycle, so none of them can be dropped first:%n%n    %s%n", String.join(" -> ", cycle)));
        StringBuilder action = new StringBuilder("Break the cycle by removing one of these dependencies:%n"
                .formatted());
        for (int i = 0; i + 1 < cycle.size(); i++) {
            String from = cycle.get(i);
            String to = cycle.get(i + 1);
            BeanDependencyGraph.Node node = graph.node(from);
            BeanDependencyGraph.Edge edge = (node != null) ? node.dependsOn.get(to) : null;
            String why = (edge != null) ? describe(from, to, edge) : "a dependency of the plan";
            message.append("%n    - '%s' depends on '%s': %s".formatted(from, to, why));
            if (edge != null && edge.kind() == BeanDependencyGraph.EdgeKind.PROPERTY) {
                action.append("%n    - remove '%s' from %s%s.depends-on".formatted(to, PROPERTY_PREFIX, from));
            }
            else {
                action.append(String.format("%n    - change '%s' so that it no longer uses '%s' (the injection or "
                        + "@DependsOn named above)", from, to));
            }
        }
        return new InvalidDropPlanException(message.toString(), action.toString(), cause);
    }

    /** @return a sentence saying why {@code from} depends on {@code to}, naming the beans on the way */
    private String describe(String from, String to, BeanDependencyGraph.Edge edge) {
        return switch (edge.kind()) {
            case BEAN_FACTORY -> edge.path().isEmpty()
                    ? describeHop(BeanFactoryUtils.transformedBeanName(from), BeanFactoryUtils.transformedBeanName(to))
                    : describePath(edge.path());
            case PROPERTY -> String.format("%s%s.depends-on lists '%s'", PROPERTY_PREFIX, from, to);
            case SCOPE -> "'" + from + "' is dropped before the singletons that the resources it tracks may use";
            case TIER -> "'" + from + "' is dropped before the executors and pools of its phase";
        };
    }

    private String describePath(List<String> path) {
        List<String> hops = new ArrayList<>(path.size() - 1);
        for (int i = 0; i + 1 < path.size(); i++) {
            hops.add(describeHop(path.get(i), path.get(i + 1)));
        }
        return String.join(", and ", hops);
    }

    private String describeHop(String from, String to) {
        if (beanFactory.containsBeanDefinition(from)) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(from);
            String[] dependsOn = definition.getDependsOn();
            if (dependsOn != null && Arrays.asList(dependsOn).contains(to)) {
                return "'" + from + "' declares @DependsOn(\"" + to + "\")";
            }
            if (to.equals(definition.getFactoryBeanName())) {
                return "'" + from + "' is created by a factory method of '" + to + "'";
            }
        }
        return "'" + to + "' is injected into '" + from + "'";
    }
}
