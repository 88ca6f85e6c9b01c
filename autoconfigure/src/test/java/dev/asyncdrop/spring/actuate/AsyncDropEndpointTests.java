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
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.AsyncDropDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.PhaseDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.ResourceDescriptor;
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

    static class Writer implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static class Pool extends Writer {
    }
}
