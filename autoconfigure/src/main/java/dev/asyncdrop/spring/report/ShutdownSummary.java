package dev.asyncdrop.spring.report;

import java.time.Duration;
import java.time.Instant;
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
 * @since 0.1.0
 */
public record ShutdownSummary(Instant shutdownAt, Duration makespan, Duration criticalPath, int resources,
        int failures, int timeouts, int skipped, String reportFile, String traceFile) {

    /**
     * Checks the figures.
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
                report.count(DropOutcome.SKIPPED), reportFile, traceFile);
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
}
