package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What happened during a {@link DropPlan} execution: a record per resource, a summary per phase, the makespan and
 * the critical path. A value: it renders itself as text with a timeline, as JSON and as Chrome trace events (opens
 * in Perfetto) through small writers beside it, and does no I/O. Offsets are relative to the start of the plan's
 * first execution. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class DropReport {

    static final DropReport EMPTY = new DropReport(List.of(), List.of(), Duration.ZERO, Duration.ZERO, List.of());

    private final List<DropRecord> records;
    private final List<PhaseRecord> phases;
    private final Duration makespan;
    private final Duration criticalPath;
    private final List<String> criticalPathResources;
    private final int[] counts = new int[DropOutcome.values().length];

    DropReport(List<DropRecord> records, List<PhaseRecord> phases, Duration makespan, Duration criticalPath,
            List<String> criticalPathResources) {
        this.records = List.copyOf(records);
        this.phases = List.copyOf(phases);
        this.makespan = makespan;
        this.criticalPath = criticalPath;
        this.criticalPathResources = List.copyOf(criticalPathResources);
        for (DropRecord record : this.records) {
            this.counts[record.outcome().ordinal()]++;
        }
    }

    /** @return a record per resource, in start order */
    public List<DropRecord> records() {
        return this.records;
    }

    /** @return a summary per phase, in the order the phases ran */
    public List<PhaseRecord> phases() {
        return this.phases;
    }

    /**
     * Counts the resources by outcome: the one place outcomes are counted, for logs, summaries and metrics alike.
     * @param outcome an outcome
     * @return how many resources ended with it
     */
    public int count(DropOutcome outcome) {
        return this.counts[Objects.requireNonNull(outcome, "'outcome' must not be null").ordinal()];
    }

    /** @return whether every resource was {@link DropOutcome#DROPPED} */
    public boolean allDropped() {
        return count(DropOutcome.DROPPED) == this.records.size();
    }

    /** @return the time from the start of the execution until its last phase completed */
    public Duration makespan() {
        return this.makespan;
    }

    /**
     * @return the longest chain of measured drop durations along dependency edges: the least makespan any
     * scheduler could have reached with these durations
     */
    public Duration criticalPath() {
        return this.criticalPath;
    }

    /** @return the names of the resources on the {@linkplain #criticalPath() critical path}, first dropped first */
    public List<String> criticalPathResources() {
        return this.criticalPathResources;
    }

    /**
     * Renders the report as a JSON object with {@code makespanMillis}, {@code criticalPathMillis},
     * {@code criticalPath} (names), {@code counts} (by outcome), {@code phases} and {@code records}; times are
     * milliseconds with microsecond precision, outcomes are the names of {@link DropOutcome}'s constants.
     * @return this report as JSON
     */
    public String toJson() {
        return DropReportJson.render(this);
    }

    /**
     * Renders the report in the Chrome trace event format: one complete ({@code "ph":"X"}) event per resource, on
     * lanes ({@code tid}) chosen so that overlapping drops never share one, and one event per phase on lane 0.
     * @return this report in the Chrome trace event format, which Perfetto and chrome://tracing open
     */
    public String toTraceEventJson() {
        return DropReportTraceEvents.render(this);
    }

    /**
     * Renders the report for a log: a summary line with the count of each outcome in the words of
     * {@link DropOutcome#label()}, the phases, a table with a row per resource and, on the same row, a bar on a time
     * axis common to all resources; then the failures. Lines are at most 120 characters.
     * @return a text rendering for logs
     */
    public String toText() {
        return DropReportText.render(this);
    }

    @Override
    public String toString() {
        return "DropReport[" + this.records.size() + " resources, makespan " + ReportTimes.millis(this.makespan)
                + " ms, critical path " + ReportTimes.millis(this.criticalPath) + " ms, "
                + DropReportText.counts(this) + ']';
    }
}
