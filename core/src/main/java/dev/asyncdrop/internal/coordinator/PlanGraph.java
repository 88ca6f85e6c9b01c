package dev.asyncdrop.internal.coordinator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.asyncdrop.AsyncDropException;
import dev.asyncdrop.coordinator.DependencyCycleException;

/**
 * The validated dependency graph of a plan in compact arrays (adjacency in compressed sparse rows), so that a plan
 * of 100,000 resources costs a few arrays rather than objects per edge. Every algorithm here is iterative and linear
 * in nodes plus edges, so a 100,000-deep chain cannot overflow the stack. Immutable once built; thread-safe.
 */
public final class PlanGraph {

    private static final int MAX_LISTED_PROBLEMS = 10;

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

    private PlanGraph(String[] names, int[] phases, Map<String, Integer> indexByName, int[] dependencyStart,
            int[] dependencies, int[] dependentStart, int[] dependents, int[] dropOrder) {
        this.names = names;
        this.phases = phases;
        this.indexByName = indexByName;
        this.dependencyStart = dependencyStart;
        this.dependencies = dependencies;
        this.dependentStart = dependentStart;
        this.dependents = dependents;
        this.dropOrder = dropOrder;
        this.phaseValues = Arrays.stream(phases).distinct().map(p -> -p).sorted().map(p -> -p).toArray();
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

    /**
     * Validates resources and their dependencies and builds the graph.
     * @param names the resources' names, in the order they were added
     * @param phases each resource's phase
     * @param dependsOn each resource's dependencies, by name
     * @return the graph
     * @throws AsyncDropException for duplicate names, unknown dependencies or a dependency into a higher phase
     * @throws DependencyCycleException when dependencies form a cycle
     */
    public static PlanGraph validate(List<String> names, int[] phases, List<List<String>> dependsOn) {
        int n = names.size();
        String[] nameArray = names.toArray(new String[0]);
        Map<String, Integer> indexByName = new HashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Integer previous = indexByName.putIfAbsent(nameArray[i], i);
            if (previous != null && problems.size() < MAX_LISTED_PROBLEMS) {
                problems.add("'" + nameArray[i] + "' was added twice; give each resource a unique name");
            }
        }
        fail(problems, "duplicate names");

        int[] dependencyStart = new int[n + 1];
        int edgeCount = 0;
        for (List<String> list : dependsOn) {
            edgeCount += list.size();
        }
        int[] dependencies = new int[edgeCount];
        int[] lastDependent = new int[n];
        Arrays.fill(lastDependent, -1);
        int e = 0;
        for (int node = 0; node < n; node++) {
            dependencyStart[node] = e;
            for (String dependencyName : dependsOn.get(node)) {
                Integer dependency = indexByName.get(dependencyName);
                if (dependency == null) {
                    if (problems.size() < MAX_LISTED_PROBLEMS) {
                        problems.add("'" + nameArray[node] + "' depends on '" + dependencyName
                                + "', which was not added; add it or fix the name");
                    }
                    continue;
                }
                int d = dependency;
                // Repeated names would count an edge twice; one edge says everything.
                if (lastDependent[d] != node) {
                    lastDependent[d] = node;
                    dependencies[e++] = d;
                }
            }
        }
        dependencyStart[n] = e;
        fail(problems, "unknown dependencies");
        if (e != dependencies.length) {
            dependencies = Arrays.copyOf(dependencies, e);
        }

        for (int node = 0; node < n && problems.size() < MAX_LISTED_PROBLEMS; node++) {
            for (int k = dependencyStart[node]; k < dependencyStart[node + 1]; k++) {
                int d = dependencies[k];
                if (phases[d] > phases[node] && problems.size() < MAX_LISTED_PROBLEMS) {
                    problems.add("'" + nameArray[node] + "' (phase " + phases[node] + ") depends on '" + nameArray[d]
                            + "' (phase " + phases[d] + "), but higher phases drop first, so '" + nameArray[d]
                            + "' would be dropped while '" + nameArray[node] + "' still uses it; put '"
                            + nameArray[node] + "' in phase " + phases[d] + " or higher, or '" + nameArray[d]
                            + "' in phase " + phases[node] + " or lower");
                }
            }
        }

        int[] dependentStart = new int[n + 1];
        for (int k = 0; k < e; k++) {
            dependentStart[dependencies[k] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            dependentStart[i + 1] += dependentStart[i];
        }
        int[] dependents = new int[e];
        int[] fill = Arrays.copyOf(dependentStart, n);
        for (int node = 0; node < n; node++) {
            for (int k = dependencyStart[node]; k < dependencyStart[node + 1]; k++) {
                dependents[fill[dependencies[k]]++] = node;
            }
        }

        // Kahn's algorithm: a node is ready once every dependent has been ordered before it.
        int[] unorderedDependents = new int[n];
        int[] order = new int[n];
        int head = 0;
        int tail = 0;
        for (int node = 0; node < n; node++) {
            unorderedDependents[node] = dependentStart[node + 1] - dependentStart[node];
            if (unorderedDependents[node] == 0) {
                order[tail++] = node;
            }
        }
        while (head < tail) {
            int node = order[head++];
            for (int k = dependencyStart[node]; k < dependencyStart[node + 1]; k++) {
                if (--unorderedDependents[dependencies[k]] == 0) {
                    order[tail++] = dependencies[k];
                }
            }
        }
        if (tail < n) {
            throw new DependencyCycleException(findCycle(nameArray, unorderedDependents, dependentStart, dependents));
        }
        fail(problems, "dependencies into a higher phase");
        return new PlanGraph(nameArray, phases.clone(), indexByName, dependencyStart, dependencies, dependentStart,
                dependents, order);
    }

    private static void fail(List<String> problems, String kind) {
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("Cannot build the drop plan: ").append(kind).append(':');
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        if (problems.size() == MAX_LISTED_PROBLEMS) {
            message.append(System.lineSeparator()).append("  (only the first ").append(MAX_LISTED_PROBLEMS)
                    .append(" problems are listed)");
        }
        throw new AsyncDropException(message.toString());
    }

    /**
     * Finds one cycle among the nodes Kahn's algorithm could not order: each of them still has an unordered
     * dependent, so walking from dependent to dependent must come back to a node already seen.
     */
    private static List<String> findCycle(String[] names, int[] unorderedDependents, int[] dependentStart,
            int[] dependents) {
        int n = names.length;
        int start = 0;
        while (unorderedDependents[start] == 0) {
            start++;
        }
        int[] seenAt = new int[n];
        Arrays.fill(seenAt, -1);
        List<Integer> walk = new ArrayList<>();
        int node = start;
        while (seenAt[node] < 0) {
            seenAt[node] = walk.size();
            walk.add(node);
            int next = -1;
            for (int k = dependentStart[node]; k < dependentStart[node + 1]; k++) {
                if (unorderedDependents[dependents[k]] > 0) {
                    next = dependents[k];
                    break;
                }
            }
            node = next;
        }
        // The walk went from a node to one of its dependents; a cycle in dependency order runs the other way.
        List<Integer> cycle = new ArrayList<>(walk.subList(seenAt[node], walk.size()));
        Collections.reverse(cycle);
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i) < cycle.get(first)) {
                first = i;
            }
        }
        Collections.rotate(cycle, -first);
        List<String> path = new ArrayList<>(cycle.size() + 1);
        for (int i : cycle) {
            path.add(names[i]);
        }
        path.add(names[cycle.get(0)]);
        return path;
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
