package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;
import org.springframework.context.Phased;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.InvalidDropPlanException;

/**
 * The droppable beans of a context and what each uses, read from the bean factory and the configuration, before
 * they become a {@code DropPlan}. Dependencies are followed transitively through beans that are not droppable
 * (writer -> repository -> pool makes writer depend on pool), and every edge remembers why it exists so that an
 * invalid plan can be explained bean by bean. Not thread-safe: built and read by one thread.
 */
final class DropGraph {

    private static final String PROPERTY_PREFIX = "async-drop.resources.";

    private final ConfigurableListableBeanFactory beanFactory;

    private final DropSettings settings;

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    private final Map<String, List<Node>> nodesByBeanName = new HashMap<>();

    private final List<String> problems = new ArrayList<>();

    private final Map<String, String[]> dependencies = new HashMap<>();

    private DropGraph(ConfigurableListableBeanFactory beanFactory, DropSettings settings) {
        this.beanFactory = beanFactory;
        this.settings = settings;
    }

    /**
     * Reads the graph of the given beans.
     * @param beanFactory the bean factory that created them
     * @param settings the configuration
     * @param beans the droppable and adapted beans, by plan name ({@code &name} for a factory bean itself), in
     * creation order
     * @param droppable turns a plan name and bean into what the plan drops
     * @param strict whether configuration that names beans that are not in the graph is an error (at startup) or
     * ignored (after a failed refresh, when some beans were never created)
     * @return the graph
     * @throws InvalidDropPlanException when the configuration names beans that are not dropped, or a bean depends
     * on a bean of a higher phase
     */
    static DropGraph read(ConfigurableListableBeanFactory beanFactory, DropSettings settings, Map<String, Object> beans,
            BiFunction<String, Object, AsyncDroppable> droppable, boolean strict) {
        DropGraph graph = new DropGraph(beanFactory, settings);
        beans.forEach((name, bean) -> graph.addNode(name, bean, droppable.apply(name, bean)));
        if (strict) {
            graph.checkConfiguredNames();
        }
        graph.addBeanFactoryEdges();
        graph.addConfiguredEdges(strict);
        graph.addScopeEdges();
        graph.checkPhases();
        if (!graph.problems.isEmpty()) {
            throw graph.invalid();
        }
        return graph;
    }

    /** @return the nodes, in creation order */
    Collection<Node> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    private void addNode(String name, Object bean, AsyncDroppable droppable) {
        String beanName = BeanFactoryUtils.transformedBeanName(name);
        DropSettings.ResourceSettings resource = settings.resource(name);
        Node node = new Node(name, beanName, bean, droppable);
        node.phase = (resource != null && resource.phase() != null) ? resource.phase() : settings.defaultPhase();
        node.timeout = (resource != null) ? resource.timeout() : null;
        nodes.put(name, node);
        nodesByBeanName.computeIfAbsent(beanName, key -> new ArrayList<>(1)).add(node);
    }

    private void checkConfiguredNames() {
        for (Map.Entry<String, DropSettings.ResourceSettings> entry : settings.resources().entrySet()) {
            String name = entry.getKey();
            if (!nodes.containsKey(name)) {
                problems.add(String.format("%s%s configures %s", PROPERTY_PREFIX, name, whyNotDropped(name)));
            }
        }
        for (String name : settings.autoCloseables()) {
            if (!nodes.containsKey(name)) {
                problems.add("async-drop.adapters.auto-closeables lists " + whyNotAdapted(name));
            }
        }
    }

    private String whyNotDropped(String name) {
        if (!beanFactory.containsBean(name)) {
            return "'" + name + "', but there is no bean of that name";
        }
        Class<?> type = typeOf(name);
        String described = "bean '" + name + "'" + ((type != null) ? " (" + type.getName() + ")" : "");
        if (type != null && AsyncDroppable.class.isAssignableFrom(type)) {
            return described + ", which is not a singleton created at startup: prototype and lazy beans are "
                    + "dropped with the AsyncDropScope instead";
        }
        return described + ", which is not dropped at shutdown: it does not implement AsyncDroppable and is not "
                + "adapted (async-drop.adapters)";
    }

    private String whyNotAdapted(String name) {
        if (!beanFactory.containsBean(name)) {
            return "'" + name + "', but there is no bean of that name";
        }
        Class<?> type = typeOf(name);
        String described = "bean '" + name + "'" + ((type != null) ? " (" + type.getName() + ")" : "");
        if (type != null && AsyncDroppable.class.isAssignableFrom(type)) {
            return described + ", which implements AsyncDroppable and needs no adapter";
        }
        if (type != null && !AutoCloseable.class.isAssignableFrom(type)) {
            return described + ", which is not AutoCloseable";
        }
        return described + ", which is not a singleton created at startup";
    }

    private @Nullable Class<?> typeOf(String name) {
        try {
            return beanFactory.getType(name, false);
        }
        catch (NoSuchBeanDefinitionException ex) {
            return null;
        }
    }

    private void addBeanFactoryEdges() {
        for (Node node : nodes.values()) {
            reachableDroppables(node.beanName).forEach((beanName, path) -> {
                for (Node target : nodesByBeanName.get(beanName)) {
                    if (target != node) {
                        node.dependsOn.putIfAbsent(target.name, new Edge(EdgeKind.BEAN_FACTORY, describePath(path)));
                    }
                }
            });
        }
    }

    /**
     * Walks the bean factory's dependencies from a bean, breadth first, through beans that are not droppable,
     * stopping at droppable ones: their own dependencies are theirs to declare.
     * @return each droppable bean reached, with the shortest path to it (the source first)
     */
    private Map<String, List<String>> reachableDroppables(String source) {
        Map<String, String> parents = new HashMap<>();
        Set<String> visited = new HashSet<>();
        visited.add(source);
        Deque<String> queue = new ArrayDeque<>();
        queue.add(source);
        Map<String, List<String>> reached = new LinkedHashMap<>();
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String dependency : dependenciesOf(current)) {
                if (!visited.add(dependency)) {
                    continue;
                }
                parents.put(dependency, current);
                if (nodesByBeanName.containsKey(dependency)) {
                    reached.put(dependency, pathTo(dependency, source, parents));
                }
                else {
                    queue.add(dependency);
                }
            }
        }
        return reached;
    }

    /** Each bean's dependencies are read once: every droppable's walk may cross the same beans. */
    private String[] dependenciesOf(String beanName) {
        return dependencies.computeIfAbsent(beanName, beanFactory::getDependenciesForBean);
    }

    private static List<String> pathTo(String target, String source, Map<String, String> parents) {
        List<String> path = new ArrayList<>();
        for (String current = target; !current.equals(source); current = parents.get(current)) {
            path.add(current);
        }
        path.add(source);
        Collections.reverse(path);
        return path;
    }

    private String describePath(List<String> path) {
        List<String> hops = new ArrayList<>(path.size() - 1);
        for (int i = 0; i + 1 < path.size(); i++) {
            hops.add(describeHop(path.get(i), path.get(i + 1)));
        }
        return String.join(", and ", hops);
    }

    private String describeHop(String from, String to) {
        BeanDefinition definition = definitionOf(from);
        if (definition != null) {
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

    private @Nullable BeanDefinition definitionOf(String beanName) {
        if (!beanFactory.containsBeanDefinition(beanName)) {
            return null;
        }
        return beanFactory.getMergedBeanDefinition(beanName);
    }

    private void addConfiguredEdges(boolean strict) {
        for (Node node : nodes.values()) {
            DropSettings.ResourceSettings resource = settings.resource(node.name);
            if (resource == null) {
                continue;
            }
            for (String target : resource.dependsOn()) {
                if (!nodes.containsKey(target)) {
                    if (strict) {
                        problems.add(String.format("%s%s.depends-on lists %s", PROPERTY_PREFIX, node.name,
                                whyNotDropped(target)));
                    }
                    continue;
                }
                node.dependsOn.put(target, new Edge(EdgeKind.PROPERTY,
                        String.format("%s%s.depends-on lists '%s'", PROPERTY_PREFIX, node.name, target)));
            }
        }
    }

    /**
     * Makes every {@link AsyncDropScope} bean depend on the singletons its runtime resources may use, so that
     * what is left in it is dropped first. Beans that use the scope themselves are dropped before it instead.
     */
    private void addScopeEdges() {
        for (Node scope : nodes.values()) {
            if (!(scope.bean instanceof AsyncDropScope)) {
                continue;
            }
            Set<Node> users = dependentsOf(scope);
            DropSettings.ResourceSettings resource = settings.resource(scope.name);
            if (resource == null || resource.phase() == null) {
                scope.phase = scopePhase(users);
            }
            for (Node node : nodes.values()) {
                if (node != scope && !users.contains(node) && !(node.bean instanceof AsyncDropScope)
                        && node.phase <= scope.phase) {
                    scope.dependsOn.putIfAbsent(node.name, new Edge(EdgeKind.SCOPE, "'" + scope.name
                            + "' is dropped before the singletons that the resources it tracks may use"));
                }
            }
        }
    }

    /** The highest phase in use, but no higher than the lowest phase of a bean that uses the scope. */
    private int scopePhase(Set<Node> users) {
        int phase = Integer.MIN_VALUE;
        for (Node node : nodes.values()) {
            if (!(node.bean instanceof AsyncDropScope)) {
                phase = Math.max(phase, node.phase);
            }
        }
        if (phase == Integer.MIN_VALUE) {
            phase = settings.defaultPhase();
        }
        for (Node user : users) {
            phase = Math.min(phase, user.phase);
        }
        return phase;
    }

    private Set<Node> dependentsOf(Node target) {
        Map<Node, List<Node>> dependents = new HashMap<>();
        for (Node node : nodes.values()) {
            for (String name : node.dependsOn.keySet()) {
                dependents.computeIfAbsent(nodes.get(name), key -> new ArrayList<>()).add(node);
            }
        }
        Set<Node> reached = new HashSet<>();
        Deque<Node> queue = new ArrayDeque<>(List.of(target));
        while (!queue.isEmpty()) {
            for (Node dependent : dependents.getOrDefault(queue.poll(), List.of())) {
                if (dependent != target && reached.add(dependent)) {
                    queue.add(dependent);
                }
            }
        }
        return reached;
    }

    private void checkPhases() {
        for (Node node : nodes.values()) {
            node.dependsOn.forEach((name, edge) -> {
                Node target = nodes.get(name);
                if (node.phase < target.phase) {
                    problems.add(String.format("Bean '%s' is dropped in phase %d but depends on bean '%s', which is "
                            + "dropped in phase %d: %s. Higher phases are dropped first, so '%s' would be dropped "
                            + "while '%s' may still use it. Drop '%s' in phase %d or higher (%s%s.phase), drop '%s' "
                            + "in phase %d or lower (%s%s.phase), or remove the dependency.", node.name, node.phase,
                            target.name, target.phase, edge.description, target.name, node.name, node.name,
                            target.phase, PROPERTY_PREFIX, node.name, target.name, node.phase, PROPERTY_PREFIX,
                            target.name));
                }
            });
        }
    }

    /**
     * Finds lifecycle beans that use a droppable bean of a higher drop phase. Spring stops phases highest first, so
     * such a bean would still be running, and perhaps using what it uses, while that is dropped.
     * @return a warning for each such use
     */
    List<String> lifecycleConflicts() {
        List<String> warnings = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(Lifecycle.class, false, false)) {
            String beanName = BeanFactoryUtils.transformedBeanName(name);
            if (nodesByBeanName.containsKey(beanName) || !beanFactory.containsSingleton(beanName)
                    || !(beanFactory.getSingleton(beanName) instanceof Lifecycle lifecycle)) {
                continue;
            }
            int phase = (lifecycle instanceof Phased phased) ? phased.getPhase() : 0;
            reachableDroppables(beanName).forEach((target, path) -> {
                for (Node node : nodesByBeanName.get(target)) {
                    if (node.phase >= phase) {
                        warnings.add(String.format("Lifecycle bean '%s' (phase %d) uses bean '%s' (%s), which is "
                                + "dropped in phase %d, before '%s' has stopped: Spring stops phases highest first. "
                                + "Give '%s' a phase above %d, or drop '%s' in a phase below %d (%s%s.phase).",
                                beanName, phase, node.name, describePath(path), node.phase, beanName, beanName,
                                node.phase, node.name, phase, PROPERTY_PREFIX, node.name));
                    }
                }
            });
        }
        return warnings;
    }

    private InvalidDropPlanException invalid() {
        StringBuilder message = new StringBuilder("The beans to drop at shutdown cannot be planned:%n".formatted());
        problems.forEach(problem -> message.append("%n    - %s".formatted(problem)));
        return new InvalidDropPlanException(message.toString(), "Update the async-drop configuration or the bean "
                + "dependencies as described above. Only singletons that implement AsyncDroppable, and beans "
                + "adapted by async-drop.adapters, are dropped at shutdown; their names are their bean names.",
                null);
    }

    /**
     * Explains a cycle found when the plan was built.
     * @param cycle the plan names on the cycle, the first repeated at the end
     * @param cause the exception that reported it
     * @return an exception naming every dependency of the cycle and why it exists
     */
    InvalidDropPlanException cycle(List<String> cycle, RuntimeException cause) {
        StringBuilder message = new StringBuilder();
        message.append(String.format("The beans below are dropped at shutdown but depend on each other in a "
                + "cycle, so none of them can be dropped first:%n%n    %s%n", String.join(" -> ", cycle)));
        StringBuilder action = new StringBuilder("Break the cycle by removing one of these dependencies:%n"
                .formatted());
        for (int i = 0; i + 1 < cycle.size(); i++) {
            String from = cycle.get(i);
            String to = cycle.get(i + 1);
            Node node = nodes.get(from);
            Edge edge = (node != null) ? node.dependsOn.get(to) : null;
            String why = (edge != null) ? edge.description : "a dependency of the plan";
            message.append("%n    - '%s' depends on '%s': %s".formatted(from, to, why));
            if (edge != null && edge.kind == EdgeKind.PROPERTY) {
                action.append("%n    - remove '%s' from %s%s.depends-on".formatted(to, PROPERTY_PREFIX, from));
            }
            else {
                action.append(String.format("%n    - change '%s' so that it no longer uses '%s' (the injection or "
                        + "@DependsOn named above)", from, to));
            }
        }
        return new InvalidDropPlanException(message.toString(), action.toString(), cause);
    }

    /** How an edge came to be. */
    enum EdgeKind {
        /** Injection, a factory method or {@code @DependsOn}, possibly through beans that are not droppable. */
        BEAN_FACTORY,
        /** {@code async-drop.resources.<bean>.depends-on}. */
        PROPERTY,
        /** An {@link AsyncDropScope} drops before the singletons its resources may use. */
        SCOPE
    }

    /**
     * Why a bean depends on another.
     * @param kind how the dependency was declared
     * @param description a sentence explaining it, naming the beans on the way
     */
    record Edge(EdgeKind kind, String description) {
    }

    /** One bean of the graph. */
    static final class Node {

        final String name;

        final String beanName;

        final Object bean;

        final AsyncDroppable droppable;

        int phase;

        @Nullable Duration timeout;

        /** The beans this one uses, by plan name, with the reason. */
        final Map<String, Edge> dependsOn = new LinkedHashMap<>();

        Node(String name, String beanName, Object bean, AsyncDroppable droppable) {
            this.name = name;
            this.beanName = beanName;
            this.bean = bean;
            this.droppable = droppable;
        }
    }
}
