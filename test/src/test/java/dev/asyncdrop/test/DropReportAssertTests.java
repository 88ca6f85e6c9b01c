package dev.asyncdrop.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;

class DropReportAssertTests {

    private static final AsyncDroppable AT_ONCE = () -> CompletableFuture.completedFuture(null);

    // Not a timing claim: a drop that waits this long makes the makespan at least this long.
    private static final Duration PAUSE = Duration.ofMillis(20);

    private static final AsyncDroppable PAUSING = () -> CompletableFuture.runAsync(() -> { },
            CompletableFuture.delayedExecutor(PAUSE.toMillis(), TimeUnit.MILLISECONDS));

    private final DropReport clean = DropPlan.builder()
            .add("writer", PAUSING, node -> node.dependsOn("pool"))
            .add("pool", AT_ONCE)
            .add("cache", AT_ONCE)
            .build().execute().join();

    @Test
    void aCleanReportPassesEveryAssertion() {
        DropAssertions.assertThat(this.clean)
                .hasNoFailures()
                .dropped("writer", "pool", "cache")
                .droppedBefore("writer", "pool")
                .hasOutcome("cache", DropOutcome.DROPPED)
                .finishedWithin(Duration.ofHours(1));
    }

    @Test
    void failedTimedOutAndSkippedDropsFailHasNoFailuresEachNamedWithTheTimeline() {
        DropReport report = troubled();

        assertThatThrownBy(() -> DropAssertions.assertThat(report).hasNoFailures())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected no drop to fail, time out or be skipped, but 3 did:")
                .hasMessageContaining("writer was FAILED (java.io.IOException: disk full)")
                .hasMessageContaining("stuck was TIMED_OUT")
                .hasMessageContaining("pool was SKIPPED")
                .hasMessageContaining("Report:")
                .hasMessageContaining(report.toText());
    }

    @Test
    void droppedFailsForEveryResourceThatWasNotDropped() {
        DropReport report = troubled();

        assertThatThrownBy(() -> DropAssertions.assertThat(report).dropped("cache", "writer", "pool"))
                .hasMessageStartingWith("Expected [cache, writer, pool] to be DROPPED, but:")
                .hasMessageContaining("writer was FAILED (java.io.IOException: disk full)")
                .hasMessageContaining("pool was SKIPPED")
                .hasMessageNotContaining("cache was")
                .hasMessageContaining(report.toText());
    }

    @Test
    void droppedBeforeFailsWhenTheSecondStartedBeforeTheFirstFinished() {
        assertThatThrownBy(() -> DropAssertions.assertThat(this.clean).droppedBefore("pool", "writer"))
                .hasMessageMatching("(?s)Expected pool to finish dropping before writer started, but pool finished "
                        + "at \\d+\\.\\d{3} ms and writer started at \\d+\\.\\d{3} ms.*")
                .hasMessageContaining(this.clean.toText());
    }

    @Test
    void droppedBeforeFailsWhenEitherWasSkipped() {
        DropReport report = troubled();

        assertThatThrownBy(() -> DropAssertions.assertThat(report).droppedBefore("stuck", "pool"))
                .hasMessageStartingWith("Expected stuck to finish dropping before pool started, but pool was SKIPPED: "
                        + "it never started dropping");
    }

    @Test
    void hasOutcomeFailsWithTheOutcomeThatHappened() {
        DropReport report = troubled();

        DropAssertions.assertThat(report).hasOutcome("stuck", DropOutcome.TIMED_OUT)
                .hasOutcome("pool", DropOutcome.SKIPPED).hasOutcome("writer", DropOutcome.FAILED);
        assertThatThrownBy(() -> DropAssertions.assertThat(report).hasOutcome("writer", DropOutcome.DROPPED))
                .hasMessageStartingWith("Expected writer to be DROPPED, but writer was FAILED "
                        + "(java.io.IOException: disk full)")
                .hasMessageContaining(report.toText());
    }

    @Test
    void finishedWithinFailsWhenTheMakespanIsLonger() {
        assertThatThrownBy(() -> DropAssertions.assertThat(this.clean).finishedWithin(Duration.ofMillis(1)))
                .hasMessageMatching("(?s)Expected the drops to finish within 1\\.000 ms, but they took "
                        + "\\d+\\.\\d{3} ms.*")
                .hasMessageContaining(this.clean.toText());
    }

    @Test
    void aNameThatIsNotInTheReportFailsWithTheNamesThatAre() {
        assertThatThrownBy(() -> DropAssertions.assertThat(this.clean).dropped("writer", "poool"))
                .hasMessageStartingWith("No resource named 'poool' in the report; it has [");
        assertThatThrownBy(() -> DropAssertions.assertThat(this.clean).hasOutcome("catch", DropOutcome.DROPPED))
                .hasMessageContaining("No resource named 'catch'")
                .hasMessageContaining("writer").hasMessageContaining("pool").hasMessageContaining("cache");
        assertThatThrownBy(() -> DropAssertions.assertThat(this.clean).droppedBefore("writer", "pol"))
                .hasMessageStartingWith("No resource named 'pol' in the report");
    }

    @Test
    void aDescriptionGivenWithAsPrefixesTheMessage() {
        assertThatThrownBy(() -> DropAssertions.assertThat(this.clean).as("shutdown of the sample")
                .hasOutcome("cache", DropOutcome.FAILED))
                .hasMessageStartingWith("[shutdown of the sample] Expected cache to be FAILED");
    }

    @Test
    void badArgumentsAreRejectedNamingTheParameter() {
        DropReportAssert assertion = DropAssertions.assertThat(this.clean);
        assertThatThrownBy(() -> assertion.dropped()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'names' must not be empty: name the resources expected to be dropped");
        assertThatThrownBy(() -> assertion.dropped((String[]) null)).hasMessage("'names' must not be null");
        assertThatThrownBy(() -> assertion.dropped("writer", null))
                .hasMessage("a resource name must not be null");
        assertThatThrownBy(() -> assertion.droppedBefore("pool", "pool"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'first' and 'second' must name two resources, but both are 'pool'");
        assertThatThrownBy(() -> assertion.droppedBefore(null, "pool")).hasMessage("'first' must not be null");
        assertThatThrownBy(() -> assertion.hasOutcome("pool", null)).hasMessage("'outcome' must not be null");
        assertThatThrownBy(() -> assertion.finishedWithin(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'limit' must not be negative, but was PT-0.001S");
        assertThatThrownBy(() -> assertion.finishedWithin(null)).hasMessage("'limit' must not be null");
    }

    @Test
    void aNullReportFailsAsAssertJDoes() {
        assertThatThrownBy(() -> DropAssertions.assertThat(null).hasNoFailures())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    /**
     * writer fails, stuck never finishes: the phase times out, so stuck is TIMED_OUT and pool, which stuck uses, is
     * SKIPPED; cache drops.
     */
    private static DropReport troubled() {
        AsyncDroppable failing = () -> CompletableFuture.failedFuture(new IOException("disk full"));
        AsyncDroppable never = CompletableFuture::new;
        return DropPlan.builder()
                .defaultPhaseTimeout(Duration.ofMillis(50))
                .add("writer", failing)
                .add("stuck", never, node -> node.dependsOn("pool"))
                .add("pool", AT_ONCE)
                .add("cache", AT_ONCE)
                .build().execute().join();
    }
}
