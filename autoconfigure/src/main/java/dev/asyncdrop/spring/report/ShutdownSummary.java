package dev.asyncdrop.spring.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;

/**
 * The figures of one shutdown, as kept by a {@link ShutdownReportStore}. Immutable and thread-safe.
 *
 * @param shutdownAt when the report was written, at the end of the shutdown
 * @param makespan how long the drops took, from the first phase's start until the last phase completed
 * @param criticalPath the least makespan any scheduler could have reached with the measured drop durations
 * @param resources how many resources the plan had
 * @param failures how many drops failed
 * @param timeouts how many drops timed out
 * @param skipped how many drops never started because their phase's deadline passed
 * @param reportFile the name of the file holding the whole report as JSON, in the store's directory
 * @param traceFile the name of the file holding the report as Chrome trace events, which Perfetto opens
 * @param drops each resource's drop, in start order (empty for a summary written before they were kept)
 * @since 0.1.0
 */
public record ShutdownSummary(Instant shutdownAt, Duration makespan, Duration criticalPath, int resources,
        int failures, int timeouts, int skipped, String reportFile, String traceFile, List<ResourceDrop> drops) {

    /**
     * Checks the figures and copies the list.
     * @throws IllegalArgumentException when a figure is negative
     */
    public ShutdownSummary {
        Objects.requireNonNull(shutdownAt, "'shutdownAt' must not be null");
        requireNotNegative(makespan, "makespan");
        requireNotNegative(criticalPath, "criticalPath");
        requireNotNegative(resources, "resources");
        requireNotNegative(failures, "failures");
        requireNotNegative(timeouts, "timeouts");
        requireNotNegative(skipped, "skipped");
        Objects.requireNonNull(reportFile, "'reportFile' must not be null");
        Objects.requireNonNull(traceFile, "'traceFile' must not be null");
        drops = List.copyOf(Objects.requireNonNull(drops, "'drops' must not be null"));
    }

    /**
     * Creates a summary without the drops of each resource.
     * @param shutdownAt when the report was written, at the end of the shutdown
     * @param makespan how long the drops took
     * @param criticalPath the least makespan any scheduler could have reached
     * @param resources how many resources the plan had
     * @param failures how many drops failed
     * @param timeouts how many drops timed out
     * @param skipped how many drops never started
     * @param reportFile the name of the file holding the whole report as JSON
     * @param traceFile the name of the file holding the report as Chrome trace events
     */
    public ShutdownSummary(Instant shutdownAt, Duration makespan, Duration criticalPath, int resources, int failures,
            int timeouts, int skipped, String reportFile, String traceFile) {
        this(shutdownAt, makespan, criticalPath, resources, failures, timeouts, skipped, reportFile, traceFile,
                List.of());
    }

    /**
     * Sums up a report.
     * @param report the report
     * @param shutdownAt when the shutdown ended
     * @param reportFile the name of the file holding the report as JSON
     * @param traceFile the name of the file holding the report as trace events
     * @return the summary
     */
    public static ShutdownSummary of(DropReport report, Instant shutdownAt, String reportFile, String traceFile) {
        Objects.requireNonNull(report, "'report' must not be null");
        return new ShutdownSummary(shutdownAt, report.makespan(), report.criticalPath(), report.records().size(),
                report.count(DropOutcome.FAILED), report.count(DropOutcome.TIMED_OUT),
                report.count(DropOutcome.SKIPPED), reportFile, traceFile,
                report.records().stream().map(ResourceDrop::of).toList());
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, () -> "'" + name + "' must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("'" + name + "' must not be negative, but was " + duration);
        }
    }

    private static void requireNotNegative(int count, String name) {
        if (count < 0) {
            throw new IllegalArgumentException("'" + name + "' must not be negative, but was " + count);
        }
    }

    /**
     * How one resource's drop went. Immutable and thread-safe.
     *
     * @param resource the resource's name, the bean name
     * @param phase its phase
     * @param outcome how its drop ended
     * @param duration how long its drop took (zero when it was skipped)
     * @since 0.1.0
     */
    public record ResourceDrop(String resource, int phase, DropOutcome outcome, Duration duration) {

        /** Checks the values. */
        public ResourceDrop {
            Objects.requireNonNull(resource, "'resource' must not be null");
            Objects.requireNonNull(outcome, "'outcome' must not be null");
            requireNotNegative(duration, "duration");
        }

        static ResourceDrop of(DropRecord record) {
            return new ResourceDrop(record.name(), record.phase(), record.outcome(), record.duration());
        }
    }
}
