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
 * Turns the resources a builder collected into a {@link PlanGraph}, in stages: names, dependencies, phases, the
 * reverse edges, a drop order (which finds cycles). Each stage reports every problem of its kind at once, up to
 * {@value #MAX_LISTED_PROBLEMS}, naming the resources and saying what to change. Every stage is iterative and linear
 * in resources plus dependencies, so a 100,000-deep chain cannot overflow the stack. Single use, not thread-safe.
 */
final class PlanValidator {

    private static final int MAX_LISTED_PROBLEMS = 10;

    private final String[] names;
    private final int[] phases;
    private final List<List<String>> dependsOn;
    private final int size;

    private final Map<String, Integer> indexByName;
    private final int[] dependencyStart;
    private int[] dependencies = new int[0];
    private final int[] dependentStart;
    private int[] dependents = new int[0];

    private PlanValidator(List<String> names, int[] phases, List<List<String>> dependsOn) {
        this.names = names.toArray(new String[0]);
        this.phases = phases.clone();
        this.dependsOn = dependsOn;
        this.size = this.names.length;
        this.indexByName = new HashMap<>(Math.max(16, (int) (this.size / 0.75f) + 1));
        this.dependencyStart = new int[this.size + 1];
        this.dependentStart = new int[this.size + 1];
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
    static PlanGraph validate(List<String> names, int[] phases, List<List<String>> dependsOn) {
        PlanValidator validator = new PlanValidator(names, phases, dependsOn);
        fail(validator.indexNames(), "duplicate names");
        fail(validator.resolveDependencies(), "unknown dependencies");
        // A cycle says more about the plan than a phase problem does: report it first.
        List<String> phaseProblems = validator.findDependenciesIntoHigherPhases();
        validator.reverseEdges();
        int[] dropOrder = validator.orderDependentsFirst();
        fail(phaseProblems, "dependencies into a higher phase");
        return new PlanGraph(validator.names, validator.phases, validator.indexByName, validator.dependencyStart,
                validator.dependencies, validator.dependentStart, validator.dependents, dropOrder);
    }

    /** Stage 1: every name once. */
    private List<String> indexNames() {
        List<String> problems = new ArrayList<>();
        for (int node = 0; node < this.size; node++) {
            Integer previous = this.indexByName.putIfAbsent(this.names[node], node);
            if (previous != null && problems.size() < MAX_LISTED_PROBLEMS) {
                problems.add("'" + this.names[node] + "' was added twice; give each resource a unique name");
            }
        }
        return problems;
    }

    /** Stage 2: every dependency names a resource; repeated ones become one edge. */
    private List<String> resolveDependencies() {
        List<String> problems = new ArrayList<>();
        int edgeCount = 0;
        for (List<String> list : this.dependsOn) {
            edgeCount += list.size();
        }
        int[] edges = new int[edgeCount];
        int[] lastDependent = new int[this.size];
        Arrays.fill(lastDependent, -1);
        int edge = 0;
        for (int node = 0; node < this.size; node++) {
            this.dependencyStart[node] = edge;
            for (String dependencyName : this.dependsOn.get(node)) {
                Integer dependency = this.indexByName.get(dependencyName);
                if (dependency == null) {
                    if (problems.size() < MAX_LISTED_PROBLEMS) {
                        problems.add("'" + this.names[node] + "' depends on '" + dependencyName
                                + "', which was not added; add it or fix the name");
                    }
                    continue;
                }
                if (lastDependent[dependency] != node) {
                    lastDependent[dependency] = node;
                    edges[edge++] = dependency;
                }
            }
        }
        this.dependencyStart[this.size] = edge;
        this.dependencies = (edge == edges.length) ? edges : Arrays.copyOf(edges, edge);
        return problems;
    }

    /** Stage 3: higher phases drop first, so a dependency into one would be dropped while still in use. */
    private List<String> findDependenciesIntoHigherPhases() {
        List<String> problems = new ArrayList<>();
        for (int node = 0; node < this.size && problems.size() < MAX_LISTED_PROBLEMS; node++) {
            for (int k = this.dependencyStart[node]; k < this.dependencyStart[node + 1]; k++) {
                int dependency = this.dependencies[k];
                if (this.phases[dependency] > this.phases[node] && problems.size() < MAX_LISTED_PROBLEMS) {
                    String user = this.names[node];
                    String used = this.names[dependency];
                    problems.add("'" + user + "' (phase " + this.phases[node] + ") depends on '" + used + "' (phase "
                            + this.phases[dependency] + "), but higher phases drop first, so '" + used
                            + "' would be dropped while '" + user + "' still uses it; put '" + user + "' in phase "
                            + this.phases[dependency] + " or higher, or '" + used + "' in phase " + this.phases[node]
                            + " or lower");
                }
            }
        }
        return problems;
    }

    /** Stage 4: the dependents of each node, the same edges the other way, in compressed sparse rows. */
    private void reverseEdges() {
        int edges = this.dependencies.length;
        for (int k = 0; k < edges; k++) {
            this.dependentStart[this.dependencies[k] + 1]++;
        }
        for (int node = 0; node < this.size; node++) {
            this.dependentStart[node + 1] += this.dependentStart[node];
        }
        this.dependents = new int[edges];
        int[] fill = Arrays.copyOf(this.dependentStart, this.size);
        for (int node = 0; node < this.size; node++) {
            for (int k = this.dependencyStart[node]; k < this.dependencyStart[node + 1]; k++) {
                this.dependents[fill[this.dependencies[k]]++] = node;
            }
        }
    }

    /**
     * Stage 5: Kahn's algorithm, a node once every dependent has been ordered before it. The nodes it cannot order
     * lie on or behind a cycle.
     * @throws DependencyCycleException naming one cycle
     */
    private int[] orderDependentsFirst() {
        int[] unorderedDependents = new int[this.size];
        int[] order = new int[this.size];
        int head = 0;
        int tail = 0;
        for (int node = 0; node < this.size; node++) {
            unorderedDependents[node] = this.dependentStart[node + 1] - this.dependentStart[node];
            if (unorderedDependents[node] == 0) {
                order[tail++] = node;
            }
        }
        while (head < tail) {
            int node = order[head++];
            for (int k = this.dependencyStart[node]; k < this.dependencyStart[node + 1]; k++) {
                if (--unorderedDependents[this.dependencies[k]] == 0) {
                    order[tail++] = this.dependencies[k];
                }
            }
        }
        if (tail < this.size) {
            throw new DependencyCycleException(findCycle(unorderedDependents));
        }
        return order;
    }

    /**
     * Finds one cycle among the nodes Kahn's algorithm could not order: each of them still has an unordered
     * dependent, so walking from dependent to dependent must come back to a node already seen.
     */
    private List<String> findCycle(int[] unorderedDependents) {
        int start = 0;
        while (unorderedDependents[start] == 0) {
            start++;
        }
        int[] seenAt = new int[this.size];
        Arrays.fill(seenAt, -1);
        List<Integer> walk = new ArrayList<>();
        int node = start;
        while (seenAt[node] < 0) {
            seenAt[node] = walk.size();
            walk.add(node);
            int next = -1;
            for (int k = this.dependentStart[node]; k < this.dependentStart[node + 1]; k++) {
                if (unorderedDependents[this.dependents[k]] > 0) {
                    next = this.dependents[k];
                    break;
                }
            }
            node = next;
        }
        // The walk went from a node to one of its dependents; a cycle in dependency order runs the other way.
        List<Integer> cycle = new ArrayList<>(walk.subList(seenAt[node], walk.size()));
        Collections.reverse(cycle);
        Collections.rotate(cycle, -cycle.indexOf(Collections.min(cycle)));
        List<String> path = new ArrayList<>(cycle.size() + 1);
        for (int each : cycle) {
            path.add(this.names[each]);
        }
        path.add(this.names[cycle.get(0)]);
        return path;
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
}
