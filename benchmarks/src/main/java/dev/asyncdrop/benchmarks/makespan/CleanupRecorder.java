package dev.asyncdrop.benchmarks.makespan;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Records when each resource's cleanup started and finished ({@link System#nanoTime()}), and counts the dependency
 * edges a shutdown violated. Thread-safe: each slot is written by the thread that runs that cleanup.
 */
final class CleanupRecorder {

    private static final long UNSET = Long.MIN_VALUE;

    private final AtomicLongArray starts;
    private final AtomicLongArray ends;

    CleanupRecorder(int size) {
        this.starts = new AtomicLongArray(size);
        this.ends = new AtomicLongArray(size);
        reset();
    }

    void reset() {
        for (int i = 0; i < starts.length(); i++) {
            starts.set(i, UNSET);
            ends.set(i, UNSET);
        }
    }

    void started(int resource) {
        starts.set(resource, System.nanoTime());
    }

    void finished(int resource) {
        ends.set(resource, System.nanoTime());
    }

    /** @return how many resources never finished their cleanup */
    int unfinished() {
        int unfinished = 0;
        for (int i = 0; i < ends.length(); i++) {
            if (starts.get(i) == UNSET || ends.get(i) == UNSET) {
                unfinished++;
            }
        }
        return unfinished;
    }

    /**
     * Counts the edges {@code A dependsOn B} where B's cleanup started before A's had finished, or where either never
     * ran.
     * @param graph the graph the recorded shutdown dropped
     * @return the number of violated edges
     */
    int violations(LayeredGraph graph) {
        int violations = 0;
        for (int dependent = 0; dependent < graph.size(); dependent++) {
            long dependentEnd = ends.get(dependent);
            for (int dependency : graph.dependsOn(dependent)) {
                long dependencyStart = starts.get(dependency);
                if (dependentEnd == UNSET || dependencyStart == UNSET || dependencyStart < dependentEnd) {
                    violations++;
                }
            }
        }
        return violations;
    }
}
