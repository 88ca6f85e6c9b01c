package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.util.ClassUtils;

import dev.asyncdrop.AsyncDropScope;

/**
 * Finds droppable beans that use an executor the plan cannot order: one that no adapter drops (adapters off, or a
 * type none of them adapts, such as a plain {@code Executor}). Spring stops or shuts down such an executor on its
 * own schedule, which may be before or while the droppable hands it its last work. Each use is a warning naming
 * both beans and what fixes it. Droppable beans that use a {@code SimpleAsyncTaskScheduler} get one warning per
 * scheduler. Not thread-safe: used by the thread that reads the graph.
 */
final class UnorderedExecutors {

    private static final String ADAPTERS = "async-drop.adapters.";

    private UnorderedExecutors() {
    }

    /**
     * @param beanFactory the bean factory
     * @param graph the graph of the droppable and adapted beans
     * @param settings the configuration
     * @return a warning for each droppable bean's direct use of an executor that is not in the graph
     */
    static List<String> warnings(ConfigurableListableBeanFactory beanFactory, BeanDependencyGraph graph,
            DropSettings settings) {
        List<String> warnings = new ArrayList<>();
        for (BeanDependencyGraph.Node node : graph.nodes()) {
            if (node.tier != DropTier.APPLICATION || node.bean instanceof AsyncDropScope) {
                continue;
            }
            for (String used : graph.dependenciesOf(node.beanName)) {
                if (graph.nodesOfBean(used).isEmpty() && beanFactory.containsSingleton(used)
                        && beanFactory.getSingleton(used) instanceof Executor executor) {
                    warnings.add(String.format("Bean '%s' uses executor '%s' (%s), which is not dropped at "
                            + "shutdown, so it may stop before '%s' has finished dropping, or while it does. %s",
                            node.name, used, ClassUtils.getUserClass(executor).getName(), node.name,
                            fix(executor, used, node.name, settings)));
                }
            }
        }
        return warnings;
    }

    /**
     * One warning for each {@link SimpleAsyncTaskScheduler} that droppable beans use: unlike Spring's
     * {@code ThreadPoolTaskScheduler}, it cannot be kept scheduling until its drop, since it stops its scheduler when
     * the context closes. It is still dropped (what it runs through {@code execute} is waited for).
     * @param beanFactory the bean factory
     * @param graph the graph of the droppable and adapted beans
     * @return a warning for each such scheduler, naming the droppable beans that use it directly
     */
    static List<String> schedulerWarnings(ConfigurableListableBeanFactory beanFactory, BeanDependencyGraph graph) {
        Map<String, Set<String>> users = new TreeMap<>();
        for (BeanDependencyGraph.Node node : graph.nodes()) {
            if (node.tier != DropTier.APPLICATION || node.bean instanceof AsyncDropScope) {
                continue;
            }
            for (String used : graph.dependenciesOf(node.beanName)) {
                if (beanFactory.containsSingleton(used)
                        && beanFactory.getSingleton(used) instanceof SimpleAsyncTaskScheduler) {
                    users.computeIfAbsent(used, key -> new TreeSet<>()).add(node.name);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        users.forEach((scheduler, droppables) -> warnings.add(String.format("SimpleAsyncTaskScheduler '%s' stops "
                + "scheduling when the context closes, before any drop: tasks that %s schedule on it during their "
                + "drops are rejected (tasks handed to its execute() still run until its own drop). Use a "
                + "ThreadPoolTaskScheduler, which async-drop keeps scheduling until its drop, if they must schedule "
                + "then.", scheduler, droppables)));
        return warnings;
    }

    private static String fix(Executor executor, String executorName, String user, DropSettings settings) {
        DropSettings.AdapterSettings adapters = settings.adapters();
        if (executor == ForkJoinPool.commonPool()) {
            return "It is the JVM's common ForkJoinPool, which is never shut down: nothing to order.";
        }
        if (executor instanceof ExecutorConfigurationSupport || executor instanceof SimpleAsyncTaskExecutor) {
            if (!adapters.taskExecutors()) {
                return "Set " + ADAPTERS + "task-executors=true to drop it after '" + user + "'.";
            }
            return "It is set to accept tasks after the context closes (acceptTasksAfterContextClose, or "
                    + "spring.task.execution.pool.shutdown.accept-tasks-after-context-close), so it is left to "
                    + "Spring: unset that to drop it after '" + user + "'.";
        }
        if (executor instanceof ExecutorService) {
            return "Set " + ADAPTERS + "executor-services=true to drop it after '" + user + "'.";
        }
        if (executor instanceof AutoCloseable) {
            return "Add '" + executorName + "' to " + ADAPTERS + "auto-closeables to close it after '" + user
                    + "'.";
        }
        return "async-drop cannot drop a plain Executor: have '" + user + "' use one it drops (a "
                + "ThreadPoolTaskExecutor, or an ExecutorService with " + ADAPTERS + "executor-services=true), or "
                + "wrap the executor in a bean that implements AsyncDroppable.";
    }
}
