package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.List;

/**
 * What happened during a {@link DropPlan} execution: a record per resource, the makespan and the critical path,
 * renderable as text with a timeline, as JSON, and as Chrome trace events (opens in Perfetto). Immutable and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class DropReport {

    private DropReport() {
    }

    /** @return a record per resource, in start order */
    public List<DropRecord> records() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the time from the start of the execution until its last phase completed */
    public Duration makespan() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @return the longest chain of measured drop durations along dependency edges: the least makespan any
     * scheduler could have reached with these durations
     */
    public Duration criticalPath() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return this report as JSON */
    public String toJson() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return this report in the Chrome trace event format, which Perfetto and chrome://tracing open */
    public String toTraceEventJson() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return a text rendering for logs: a table of resources and a timeline with one bar per resource */
    public String toText() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
