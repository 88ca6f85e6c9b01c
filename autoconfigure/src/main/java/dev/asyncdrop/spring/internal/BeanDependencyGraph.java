package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.InvalidDropPlanException;

/**
 * The droppable beans of a context and what each uses, read from the bean factory and the configuration, before
 * they become a {@code DropPlan}. Dependencies are followed transitively through beans that are not droppable
 * (writer -> repository -> pool makes writer depend on pool), and every edge remembers why it exists, so that
 * {@link DropPlanProblems} can explain an invalid plan bean by bean. Not thread-safe: built and read by one thread.
 */
final class BeanDependencyGraph {

    /** A bean that uses a droppable bean directly: the path is the two beans themselves. */
    private static final Edge DIRECT_EDGE = new Edge(EdgeKind.BEAN_FACTORY, List.of());

    private static final Edge PROPERTY_EDGE = new Edge(EdgeKind.PROPERTY, List.of());

    private static final Edge SCOPE_EDGE = new Edge(EdgeKind.SCOPE, List.of());


    private final ConfigurableListableBeanFactory beanFactory;

    private final DropSettings settings;

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    private final Map<String, List<Node>> nodesByBeanName = new HashMap<>();

    /** Which bean each key of {@code async-drop.resources} configures. */
    private final ResourceKeys resourceKeys;

    /** What beans use, by bean name, as read when they were created. */
    private final Map<String, String[]> knownDependencies;

    /** What the other beans use, read once each: every droppable's walk may cross the same beans. */
    private final Map<String, String[]> readDependencies = new HashMap<>();

    private BeanDependencyGraph(ConfigurableListableBeanFactory beanFactory, DropSettings settings,
            Map<String, String[]> knownDependencies, ResourceKeys resourceKeys) {
        this.beanFactory = beanFactory;
        this.settings = settings;
        this.knownDependencies = knownDependencies;
        this.resourceKeys = resourceKeys;
    }

    /**
     * Reads the graph of the given beans.
     * @param beanFactory the bean factory that created them
     * @param settings the configuration
     * @param beans the droppable and adapted beans, by plan name ({@code &name} for a factory bean itself), in
     * creation order
     * @param droppable turns a plan name and bean into what the plan drops
     * @param dependencies what beans use, by bean name, where already known; the rest is read from the bean
     * factory
     * @param strict whether configuration that names beans that are not in the graph is an error (at startup) or
     * ignored (after a failed refresh, when some beans were never created)
     * @return the graph
     * @throws InvalidDropPlanException when the configuration names beans that are not dropped, or a bean depends
     * on a bean of a higher phase
     */
    static BeanDependencyGraph read(ConfigurableListableBeanFactory beanFactory, DropSettings settings,
            Map<String, Object> beans, BiFunction<String, Object, AsyncDroppable> droppable,
            Map<String, String[]> dependencies, boolean strict) {
        BeanDependencyGraph graph = new BeanDependencyGraph(beanFactory, settings, dependencies,
                ResourceKeys.match(settings.resources(), beans.keySet()));
        beans.forEach((name, bean) -> graph.addNode(name, bean, droppable.apply(name, bean)));
        DropPlanProblems problems = new DropPlanProblems(beanFactory, settings);
        if (strict) {
            problems.checkConfiguredNames(graph);
        }
        graph.addBeanFactoryEdges();
        graph.addConfiguredEdges();
        graph.addScopeEdges();
        TierEdges.add(graph);
        problems.checkPhases(graph);
        problems.throwIfAny();
        return graph;
    }

    /** @return the nodes, in creation order */
    Collection<Node> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    /**
     * @param name a plan name
     * @return the node of that name, or {@code null} if the graph has none
     */
    @Nullable Node node(String name) {
        return nodes.get(name);
    }

    /** @return which bean each key of {@code async-drop.resources} configures */
    ResourceKeys resourceKeys() {
        return resourceKeys;
    }

    /**
     * @param beanName a bean name
     * @return the nodes of that bean: a factory bean may have two, itself and its product
     */
    List<Node> nodesOfBean(String beanName) {
        return nodesByBeanName.getOrDefault(beanName, List.of());
    }

    private void addNode(String name, Object bean, AsyncDroppable droppable) {
        String beanName = BeanFactoryUtils.transformedBeanName(name);
        DropSettings.ResourceSettings resource = resourceKeys.of(name);
        Node node = new Node(name, beanName, bean, droppable, resource);
        node.phase = (resource != null && resource.phase() != null) ? resource.phase() : settings.defaultPhase();
        node.timeout = (resource != null && resource.timeout() != null) ? resource.timeout()
                : (droppable instanceof AdaptedDrop adapted) ? adapted.ownTimeout() : null;
        nodes.put(name, node);
        nodesByBeanName.computeIfAbsent(beanName, key -> new ArrayList<>(1)).add(node);
    }

    private void addBeanFactoryEdges() {
        for (Node node : nodes.values()) {
            forEachReachableDroppable(node.beanName, (beanName, path) -> {
                for (Node target : nodesByBeanName.get(beanName)) {
                    if (target != node) {
                        node.dependsOn.putIfAbsent(target.name,
                                (path != null) ? new Edge(EdgeKind.BEAN_FACTORY, path) : DIRECT_EDGE);
                    }
                }
            });
        }
    }

    /**
     * Walks the bean factory's dependencies from a bean, breadth first, through beans that are not droppable,
     * stopping at droppable ones: their own dependencies are theirs to declare.
     * @param source the bean name to start from
     * @param reached called with each droppable bean reached, once, and the shortest path to it (the source first),
     * or {@code null} when the source uses it directly
     */
    void forEachReachableDroppable(String source, BiConsumer<String, @Nullable List<String>> reached) {
        String[] direct = dependenciesOf(source);
        if (allDroppable(direct)) {
            // Most beans use droppable beans directly, if at all: nothing to walk through.
            for (String dependency : direct) {
                if (!dependency.equals(source)) {
                    reached.accept(dependency, null);
                }
            }
            return;
        }
        Map<String, String> parents = new HashMap<>();
        Set<String> visited = new HashSet<>();
        visited.add(source);
        Deque<String> queue = new ArrayDeque<>();
        queue.add(source);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            for (String dependency : dependenciesOf(current)) {
                if (!visited.add(dependency)) {
                    continue;
                }
                parents.put(dependency, current);
                if (nodesByBeanName.containsKey(dependency)) {
                    reached.accept(dependency, pathTo(dependency, source, parents));
                }
                else {
                    queue.add(dependency);
                }
            }
        }
    }

    private boolean allDroppable(String[] beanNames) {
        for (String beanName : beanNames) {
            if (!nodesByBeanName.containsKey(beanName)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param beanName a bean name
     * @return the names of the beans it uses directly
     */
    String[] dependenciesOf(String beanName) {
        String[] known = knownDependencies.get(beanName);
        if (known != null) {
            return known;
        }
        return readDependencies.computeIfAbsent(beanName, beanFactory::getDependenciesForBean);
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

    /** Adds {@code async-drop.resources.<bean>.depends-on}; names not in the graph are left to the checks. */
    private void addConfiguredEdges() {
        for (Node node : nodes.values()) {
            DropSettings.ResourceSettings resource = node.resource;
            if (resource == null) {
                continue;
            }
            for (String target : resource.dependsOn()) {
                if (nodes.containsKey(target)) {
                    node.dependsOn.put(target, PROPERTY_EDGE);
                }
            }
        }
    }

    /**
     * Makes every {@link AsyncDropScope} bean depend on the singletons its runtime resources may use, so that
     * what is left in it is dropped first. Beans that use the scope themselves are dropped before it instead. Since
     * every singleton of its phase waits for it, a scope without a timeout of its own gets
     * {@linkplain #scopeTimeout a share of its phase's}: a runtime guard that hangs then holds the scope only that
     * long, and the singletons still get their turn.
     */
    private void addScopeEdges() {
        for (Node scope : nodes.values()) {
            if (!(scope.bean instanceof AsyncDropScope)) {
                continue;
            }
            Set<Node> users = dependentsOf(scope);
            DropSettings.ResourceSettings resource = scope.resource;
            if (resource == null || resource.phase() == null) {
                scope.phase = scopePhase(users);
            }
            if (scope.timeout == null) {
                scope.timeout = scopeTimeout(settings.timeoutOfPhase(scope.phase));
            }
            for (Node node : nodes.values()) {
                if (node != scope && !users.contains(node) && !(node.bean instanceof AsyncDropScope)
                        && node.phase <= scope.phase) {
                    scope.dependsOn.putIfAbsent(node.name, SCOPE_EDGE);
                }
            }
        }
    }

    /**
     * The timeout of a scope that has none of its own: a quarter of its phase's timeout (5 seconds of the default
     * 20), leaving the rest to the singletons of the phase.
     * @param phaseTimeout the timeout of the scope's phase
     * @return the scope's timeout
     */
    static Duration scopeTimeout(Duration phaseTimeout) {
        Duration share = phaseTimeout.dividedBy(4);
        return share.isZero() ? phaseTimeout : share;
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
        boolean used = false;
        for (Node node : nodes.values()) {
            used |= node.dependsOn.containsKey(target.name);
        }
        if (!used) {
            // The common case, a scope that no droppable bean uses: no need for the reverse graph.
            return Set.of();
        }
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

    /** How an edge came to be. */
    enum EdgeKind {
        /** Injection, a factory method or {@code @DependsOn}, possibly through beans that are not droppable. */
        BEAN_FACTORY,
        /** {@code async-drop.resources.<bean>.depends-on}. */
        PROPERTY,
        /** An {@link AsyncDropScope} drops before the singletons its resources may use. */
        SCOPE,
        /** Nothing explicit orders the two: a lower {@link DropTier} drops first. */
        TIER
    }

    /**
     * Why a bean depends on another; {@link DropPlanProblems} turns it into a sentence when one is needed, which is
     * seldom, so it is not written for every edge.
     * @param kind how the dependency was declared
     * @param path for {@link EdgeKind#BEAN_FACTORY} through beans that are not droppable, the bean names on the way,
     * each using the next; else empty
     */
    record Edge(EdgeKind kind, List<String> path) {
    }

    /** One bean of the graph. */
    static final class Node {

        final String name;

        final String beanName;

        final Object bean;

        final AsyncDroppable droppable;

        final DropTier tier;

        int phase;

        @Nullable Duration timeout;

        /** Its settings under {@code async-drop.resources}, if any key names it. */
        final DropSettings.@Nullable ResourceSettings resource;

        /** The beans this one uses, by plan name, with the reason. */
        final Map<String, Edge> dependsOn = new LinkedHashMap<>();

        Node(String name, String beanName, Object bean, AsyncDroppable droppable,
                DropSettings.@Nullable ResourceSettings resource) {
            this.name = name;
            this.beanName = beanName;
            this.bean = bean;
            this.droppable = droppable;
            this.resource = resource;
            this.tier = DropTier.of(droppable);
        }
    }
}
