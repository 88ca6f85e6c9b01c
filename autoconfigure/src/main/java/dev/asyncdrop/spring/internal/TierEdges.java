package dev.asyncdrop.spring.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.asyncdrop.spring.internal.BeanDependencyGraph.Node;

/**
 * Orders each phase of a {@link BeanDependencyGraph} by {@link DropTier} where no explicit dependency does: the
 * application's droppables before executors and schedulers, and both before data sources and other pools. A node
 * gets an edge to a node of a higher tier unless that node already reaches it (an explicit dependency the other way,
 * which wins), so no edge ever closes a cycle; and only if none of the nodes it uses in its phase gets one, since
 * those drop after it anyway: the application's last droppables get the edges, not all of them. Not thread-safe:
 * used by the thread that reads the graph.
 */
final class TierEdges {

    private static final BeanDependencyGraph.Edge TIER_EDGE = new BeanDependencyGraph.Edge(
            BeanDependencyGraph.EdgeKind.TIER, List.of());

    private final BeanDependencyGraph graph;

    private TierEdges(BeanDependencyGraph graph) {
        this.graph = graph;
    }

    /**
     * Adds the tier edges to a graph whose explicit edges are all there.
     * @param graph the graph
     */
    static void add(BeanDependencyGraph graph) {
        List<Node> pools = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (node.tier != DropTier.APPLICATION) {
                pools.add(node);
            }
        }
        if (pools.isEmpty()) {
            return;
        }
        // Higher tiers first, each with what it reaches then: the edges added into a node never change what it
        // reaches, and each edge is added only where it closes no cycle with those added before.
        pools.sort((first, second) -> second.tier.compareTo(first.tier));
        TierEdges edges = new TierEdges(graph);
        for (Node pool : pools) {
            edges.addEdgesTo(pool);
        }
    }

    private void addEdgesTo(Node pool) {
        Set<Node> reached = reachableFrom(pool);
        for (Node node : graph.nodes()) {
            if (dropsBefore(node, pool, reached) && !usesOneThatDropsBefore(node, pool, reached)) {
                node.dependsOn.putIfAbsent(pool.name, TIER_EDGE);
            }
        }
    }

    /** Whether a node must drop before {@code pool} by tier: same phase, lower tier, no explicit path the other way. */
    private static boolean dropsBefore(Node node, Node pool, Set<Node> reached) {
        return node.phase == pool.phase && node.tier.compareTo(pool.tier) < 0 && !reached.contains(node);
    }

    private boolean usesOneThatDropsBefore(Node node, Node pool, Set<Node> reached) {
        for (String name : node.dependsOn.keySet()) {
            Node used = graph.node(name);
            if (used != null && dropsBefore(used, pool, reached)) {
                return true;
            }
        }
        return false;
    }

    private Set<Node> reachableFrom(Node start) {
        Set<Node> reached = new HashSet<>();
        Deque<Node> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            for (String name : queue.poll().dependsOn.keySet()) {
                Node used = graph.node(name);
                if (used != null && reached.add(used)) {
                    queue.add(used);
                }
            }
        }
        return reached;
    }
}
