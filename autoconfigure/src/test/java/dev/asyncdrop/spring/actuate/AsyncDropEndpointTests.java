package dev.asyncdrop.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.ShutdownWorstCase;
import dev.asyncdrop.spring.ShutdownWorstCase.PhaseWait;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.AsyncDropDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.ForecastDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.PhaseDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.PhaseForecastDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.ResourceDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.ShutdownDescriptor;
import dev.asyncdrop.spring.report.ShutdownSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncDropEndpointTests {

    @Test
    void thePlansPhasesAndResourcesAreDescribedInDropOrder() {
        DropPlan plan = DropPlan.builder()
                .defaultPhaseTimeout(Duration.ofSeconds(20))
                .phaseTimeout(100, Duration.ofSeconds(5))
                .add("writer", new Writer(), (n) -> n.phase(100).timeout(Duration.ofSeconds(3)))
                .add("repository", new Writer(), (n) -> n.dependsOn("pool"))
                .add("pool", new Pool())
                .build();

        AsyncDropDescriptor descriptor = new AsyncDropEndpoint(() -> Optional.of(plan), null).asyncDrop();

        assertThat(descriptor.phases()).containsExactly(new PhaseDescriptor(100, Duration.ofSeconds(5)),
                new PhaseDescriptor(0, Duration.ofSeconds(20)));
        assertThat(descriptor.resources()).containsExactlyInAnyOrder(
                new ResourceDescriptor("writer", Writer.class.getName(), 100, Duration.ofSeconds(3), List.of(),
                        List.of()),
                new ResourceDescriptor("repository", Writer.class.getName(), 0, null, List.of("pool"), List.of()),
                new ResourceDescriptor("pool", Pool.class.getName(), 0, null, List.of(), List.of("repository")));
    }

    @Test
    void withoutAPlanThePhasesAndResourcesAreEmpty() {
        AsyncDropDescriptor descriptor = new AsyncDropEndpoint(Optional::empty, null).asyncDrop();

        assertThat(descriptor.phases()).isEmpty();
        assertThat(descriptor.resources()).isEmpty();
        assertThat(descriptor.lastShutdown()).isNull();
    }

    @Test
    void liveGuardsAndLeaksAreReadFromLeakDetection() {
        AsyncDropGuard<Pool> guard = AsyncDropGuard.of(new Pool());
        try {
            AsyncDropDescriptor descriptor = new AsyncDropEndpoint(Optional::empty, null).asyncDrop();

            assertThat(descriptor.liveGuards()).isPositive();
            assertThat(descriptor.leaks()).isNotNegative().isLessThanOrEqualTo(LeakDetection.leaksDetected());
        }
        finally {
            guard.close();
        }
    }

    @Test
    void theLastShutdownIsDescribedWhenOneWasKept() {
        ShutdownSummary last = new ShutdownSummary(Instant.parse("2026-11-26T08:30:00Z"), Duration.ofMillis(412),
                Duration.ofMillis(380), 12, 1, 2, 0, "asyncdrop-report-20261126T083000.000Z.json",
                "asyncdrop-trace-20261126T083000.000Z.json");

        assertThat(new AsyncDropEndpoint(Optional::empty, last).asyncDrop().lastShutdown()).isSameAs(last);
    }

    @Test
    void theNextShutdownIsForecastFromTheLastOnesDurationsOverTodaysPlan() {
        DropPlan plan = DropPlan.builder()
                .add("writer", new Writer(), (n) -> n.dependsOn("pool"))
                .add("pool", new Pool())
                .add("cache", new Pool())
                .add("session", new Writer(), (n) -> n.phase(100))
                .add("newcomer", new Writer(), (n) -> n.phase(100))
                .build();
        ShutdownSummary last = lastShutdown(List.of(drop("writer", 0, 30), drop("pool", 0, 20), drop("cache", 0, 40),
                drop("session", 100, 15), new ShutdownSummary.ResourceDrop("removed", 0, DropOutcome.DROPPED,
                        Duration.ofSeconds(9))));

        ForecastDescriptor forecast = new AsyncDropEndpoint(() -> Optional.of(plan), last).asyncDrop().forecast();

        assertThat(forecast).isNotNull();
        assertThat(forecast.phases()).containsExactly(
                new PhaseForecastDescriptor(100, Duration.ofMillis(15), List.of("session")),
                new PhaseForecastDescriptor(0, Duration.ofMillis(50), List.of("writer", "pool")));
        assertThat(forecast.makespan()).isEqualTo(Duration.ofMillis(65));
        assertThat(forecast.criticalPath()).containsExactly("session", "writer", "pool");
        assertThat(forecast.withoutHistory()).containsExactly("newcomer");
        assertThat(forecast.basedOn()).isEqualTo(last.shutdownAt());
    }

    @Test
    void aResourceSkippedLastTimeHasNoHistory() {
        DropPlan plan = DropPlan.builder().add("pool", new Pool()).build();
        ShutdownSummary last = lastShutdown(List.of(new ShutdownSummary.ResourceDrop("pool", 0, DropOutcome.SKIPPED,
                Duration.ZERO)));

        ForecastDescriptor forecast = new AsyncDropEndpoint(() -> Optional.of(plan), last).asyncDrop().forecast();

        assertThat(forecast).isNotNull();
        assertThat(forecast.withoutHistory()).containsExactly("pool");
        assertThat(forecast.makespan()).isZero();
    }

    @Test
    void withoutEachResourcesDropInTheLastShutdownThereIsNoForecast() {
        DropPlan plan = DropPlan.builder().add("pool", new Pool()).build();

        assertThat(new AsyncDropEndpoint(() -> Optional.of(plan), lastShutdown(List.of())).asyncDrop().forecast())
                .isNull();
    }

    @Test
    void theShutdownsWorstCaseIsDescribedWithItsBudget() {
        ShutdownWorstCase worstCase = new ShutdownWorstCase(List.of(
                new PhaseWait(2147482623, Duration.ofSeconds(30), "spring.lifecycle.timeout-per-shutdown-phase", 0,
                        List.of("webServerGracefulShutdown")),
                new PhaseWait(2147479551, Duration.ofSeconds(21), "async-drop.timeout-per-phase", 2, List.of())),
                Duration.ofSeconds(60));

        ShutdownDescriptor shutdown = new AsyncDropEndpoint(Optional::empty, () -> Optional.of(worstCase), null)
                .asyncDrop()
                .shutdown();

        assertThat(shutdown).isNotNull();
        assertThat(shutdown.budget()).isEqualTo(Duration.ofSeconds(60));
        assertThat(shutdown.worstCase()).isEqualTo(Duration.ofSeconds(51));
        assertThat(shutdown.phases()).isEqualTo(worstCase.phases());
    }

    @Test
    void theDescriptorsAreImmutable() {
        DropPlan plan = DropPlan.builder().add("pool", new Pool()).build();

        AsyncDropDescriptor descriptor = new AsyncDropEndpoint(() -> Optional.of(plan), null).asyncDrop();

        assertThatThrownBy(() -> descriptor.resources().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> descriptor.resources().get(0).dependents().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMissingPlanSupplierIsRejectedByName() {
        assertThatNullPointerException().isThrownBy(() -> new AsyncDropEndpoint(null, null))
                .withMessage("'plan' must not be null");
    }

    private static ShutdownSummary lastShutdown(List<ShutdownSummary.ResourceDrop> drops) {
        return new ShutdownSummary(Instant.parse("2026-11-26T08:30:00Z"), Duration.ofMillis(412),
                Duration.ofMillis(380), drops.size(), 0, 0, 0, "asyncdrop-report-20261126T083000.000Z.json",
                "asyncdrop-trace-20261126T083000.000Z.json", drops);
    }

    private static ShutdownSummary.ResourceDrop drop(String name, int phase, long millis) {
        return new ShutdownSummary.ResourceDrop(name, phase, DropOutcome.DROPPED, Duration.ofMillis(millis));
    }

    static class Writer implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static class Pool extends Writer {
    }
}
