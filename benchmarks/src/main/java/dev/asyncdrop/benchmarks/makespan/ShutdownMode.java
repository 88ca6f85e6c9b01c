package dev.asyncdrop.benchmarks.makespan;

/**
 * One way of shutting a graph of resources down: a row of the makespan table.
 */
interface ShutdownMode {

    /** @return the row's name */
    String name();

    /**
     * Creates fresh resources for the graph and everything that will drop them; not measured.
     * @param graph the graph
     * @param cleanups the cleanup of each resource, by index
     * @return the shutdown to measure
     * @throws Exception when preparing fails
     */
    Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) throws Exception;

    /** @return what the shut-down itself reported about the last run, if it reports anything */
    default String lastRunNote() {
        return "";
    }

    /** The measured part: returns once every resource has been dropped. */
    @FunctionalInterface
    interface Shutdown {

        /**
         * Drops every resource and waits for the end.
         * @throws Exception when the shutdown fails
         */
        void run() throws Exception;
    }
}
