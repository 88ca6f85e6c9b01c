package dev.asyncdrop.test;

import dev.asyncdrop.coordinator.DropReport;

/**
 * Entry point of the AssertJ assertions on a {@link DropReport}: what dropped, in which order, with which outcome,
 * how fast. Every failure message ends with the report's text rendering and its timeline.
 * <pre>{@code
 * DropAssertions.assertThat(report)
 *         .hasNoFailures()
 *         .dropped("writer", "pool")
 *         .droppedBefore("writer", "pool");
 * }</pre>
 * Thread-safe: it holds no state.
 *
 * @since 0.1.0
 */
public final class DropAssertions {

    private DropAssertions() {
    }

    /**
     * Starts assertions on a report.
     * @param report the report, from {@code DropPlan.execute()}, a {@code BeanDropCoordinator} or
     * {@link ContextShutdown#closeAndReport}
     * @return the assertions
     */
    public static DropReportAssert assertThat(DropReport report) {
        return new DropReportAssert(report);
    }
}
