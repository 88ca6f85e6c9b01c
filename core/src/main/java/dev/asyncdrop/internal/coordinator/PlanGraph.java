package dev.asyncdrop.internal.coordinator;

import java.util.Arrays;
import java.util.Map;

/**
 * The validated dependency graph of a plan in compact arrays (adjacency in compressed sparse rows), so that a plan
 * of 100,000 resources costs a few arrays rather than objects per edge; {@link PlanValidator} builds it. Every
 * algorithm here is iterative and linear in nodes plus edges, so a 100,000-deep chain cannot overflow the stack.
 * Immutable once built; thread-safe.
 */
public final class PlanGraph {

    private final String[] names;
    private final int[] phases;
    private final Map<String, Integer> indexByName;
    private final int[] dependencyStart;
    private final int[] dependencies;
    private final int[] dependentStart;
    private final int[] dependents;
    private final int[] dropOrder;
    private final int[] phaseValues;
    private final int[][] phaseNodes;
    private final int[] localIndex;

    PlanGraph(String[] names, int[] phases, Map<String, Integer> indexByName, int[] dependencyStart,
            int[] dependencies, int[] dependentStart, int[] dependents, int[] dropOrder) {
        this.names = names;
        this.phases = phases;
        this.indexByName = indexByName;
        this.dependencyStart = dependencyStart;
        this.dependencies = dependencies;
        this.dependentStart = dependentStart;
        this.dependents = dependents;
        this.dropOrder = dropOrder;
        this.phaseValues = highestFirst(phases);
        int[] sizes = new int[phaseValues.length];
        int[] phaseIndexOfNode = new int[names.length];
        for (int node = 0; node < names.length; node++) {
            phaseIndexOfNode[node] = phaseIndex(phases[node]);
        }
        for (int p : phaseIndexOfNode) {
            sizes[p]++;
        }
        this.phaseNodes = new int[phaseValues.length][];
        for (int i = 0; i < sizes.length; i++) {
            phaseNodes[i] = new int[sizes[i]];
        }
        this.localIndex = new int[names.length];
        int[] filled = new int[phaseValues.length];
        // Nodes of a phase are listed in drop order, so every rendering of the plan is deterministic.
        for (int node : dropOrder) {
            int p = phaseIndexOfNode[node];
            localIndex[node] = filled[p];
            phaseNodes[p][filled[p]++] = node;
        }
    }

    // Sorted up and read backwards: negating to sort down would turn Integer.MIN_VALUE into itself, the highest.
    private static int[] highestFirst(int[] phases) {
        int[] ascending = Arrays.stream(phases).distinct().sorted().toArray();
        int[] descending = new int[ascending.length];
        for (int i = 0; i < ascending.length; i++) {
            descending[i] = ascending[ascending.length - 1 - i];
        }
        return descending;
    }

    /** @return the number of resources */
    public int size() {
        return names.length;
    }

    /**
     * @param node a node
     * @return its resource's name
     */
    public String name(int node) {
        return names[node];
    }

    /**
     * @param node a node
     * @return its phase
     */
    public int phase(int node) {
        return phases[node];
    }

    /**
     * @param name a resource's name
     * @return the node of that name, or -1
     */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index != null ? index : -1;
    }

    /**
     * @param node a node
     * @return the first edge to the node's dependencies, for {@link #dependency(int)}
     */
    public int dependencyStart(int node) {
        return dependencyStart[node];
    }

    /**
     * @param node a node
     * @return the edge after the last to the node's dependencies
     */
    public int dependencyEnd(int node) {
        return dependencyStart[node + 1];
    }

    /**
     * @param edge an edge between {@link #dependencyStart(int)} and {@link #dependencyEnd(int)}
     * @return the dependency it leads to
     */
    public int dependency(int edge) {
        return dependencies[edge];
    }

    /**
     * @param node a node
     * @return the first edge to the node's dependents, for {@link #dependent(int)}
     */
    public int dependentStart(int node) {
        return dependentStart[node];
    }

    /**
     * @param node a node
     * @return the edge after the last to the node's dependents
     */
    public int dependentEnd(int node) {
        return dependentStart[node + 1];
    }

    /**
     * @param edge an edge between {@link #dependentStart(int)} and {@link #dependentEnd(int)}
     * @return the dependent it leads to
     */
    public int dependent(int edge) {
        return dependents[edge];
    }

    /** @return the phases that have resources, highest first */
    public int[] phaseValues() {
        return phaseValues.clone();
    }

    /**
     * @param phase a phase
     * @return the index of the phase in {@link #phaseValues()}, or -1
     */
    public int phaseIndex(int phase) {
        int low = 0;
        int high = phaseValues.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (phaseValues[mid] == phase) {
                return mid;
            }
            if (phaseValues[mid] > phase) {
                low = mid + 1;
            }
            else {
                high = mid - 1;
            }
        }
        return -1;
    }

    /** @return the nodes of the phase at that index, every node after all of its dependents */
    int[] phaseNodes(int phaseIndex) {
        return phaseNodes[phaseIndex];
    }

    /** @return the node's index among the nodes of its phase */
    int localIndex(int node) {
        return localIndex[node];
    }

    /**
     * Finds the longest chain of weights along dependency edges among the included nodes.
     * @param weight each node's weight, by node
     * @param included whether a node takes part
     * @return the chain, first dropped first; empty when nothing is included
     */
    public int[] longestChain(long[] weight, boolean[] included) {
        int n = names.length;
        long[] best = new long[n];
        int[] next = new int[n];
        Arrays.fill(next, -1);
        int bestStart = -1;
        // Walk dependencies before their dependents, so a node's best chain through its dependencies is known.
        for (int i = n - 1; i >= 0; i--) {
            int node = dropOrder[i];
            if (!included[node]) {
                continue;
            }
            long tail = 0;
            for (int k = dependencyStart[node]; k < dependencyStart[node + 1]; k++) {
                int d = dependencies[k];
                if (included[d] && (next[node] < 0 || best[d] > tail)) {
                    tail = best[d];
                    next[node] = d;
                }
            }
            best[node] = weight[node] + tail;
            if (bestStart < 0 || best[node] > best[bestStart]) {
                bestStart = node;
            }
        }
        if (bestStart < 0) {
            return new int[0];
        }
        int length = 0;
        for (int node = bestStart; node >= 0; node = next[node]) {
            length++;
        }
        int[] chain = new int[length];
        int i = 0;
        for (int node = bestStart; node >= 0; node = next[node]) {
            chain[i++] = node;
        }
        return chain;
    }
}
