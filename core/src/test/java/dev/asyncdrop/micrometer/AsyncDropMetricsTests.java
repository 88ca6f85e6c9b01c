package dev.asyncdrop.micrometer;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.LogCapture;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

class AsyncDropMetricsTests {

    @RegisterExtension
    static final LogCapture logs = LogCapture.of(LeakDetection.class);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final AsyncDropMetrics metrics = new AsyncDropMetrics();

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @Test
    void aRuntimeGuardDropIsTimedUnderTheSimpleNameOfItsResourceTypeAndNoPhase() {
        metrics.bindTo(registry);

        drop(new MetricsTestPool());

        assertThat(registry.get("async.drop").tags("resource", "MetricsTestPool", "phase", "none", "outcome", "success",
                "exception", "none").timer().count()).isEqualTo(1);
    }

    @Test
    void aFailedRuntimeGuardDropIsTaggedWithTheFailuresSimpleName() {
        metrics.bindTo(registry);

        AsyncDropGuard<MetricsTestFailingPool> guard = AsyncDropGuard.of(new MetricsTestFailingPool());
        CompletableFuture<Void> drop = guard.asyncDrop().toCompletableFuture();
        await().atMost(Duration.ofSeconds(10)).until(drop::isDone);

        assertThat(registry.get("async.drop").tags("resource", "MetricsTestFailingPool", "phase", "none", "outcome",
                "failure", "exception", "IllegalStateException").timer().count()).isEqualTo(1);
    }

    @Test
    void aRuntimeGuardOverALambdaIsTaggedWithTheInterfaceItImplements() {
        metrics.bindTo(registry);

        drop(() -> CompletableFuture.completedFuture(null));

        assertThat(registry.get("async.drop").tags("resource", "AsyncDroppable", "phase", "none").timer().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void theDropsAndPhasesOfAPlanAreTimedWithTheirNamePhaseOutcomeAndException() throws Exception {
        metrics.bindTo(registry);
        DropPlan plan = DropPlan.builder()
                .phaseTimeout(100, Duration.ofSeconds(10))
                .add("writer", new MetricsTestPool(), n -> n.phase(100).dependsOn("hanging"))
                .add("hanging", new MetricsTestHangingPool(), n -> n.phase(100).timeout(Duration.ofMillis(50)))
                .add("broken", new MetricsTestFailingPool())
                .listener(metrics)
                .build();

        DropReport report = plan.execute().get(30, TimeUnit.SECONDS);

        assertThat(report.records()).hasSize(3);
        assertThat(registry.get("async.drop").tags("resource", "writer", "phase", "100", "outcome", "success",
                "exception", "none").timer().count()).isEqualTo(1);
        assertThat(registry.get("async.drop").tags("resource", "hanging", "phase", "100", "outcome", "timeout",
                "exception", "none").timer().count()).isEqualTo(1);
        assertThat(registry.get("async.drop").tags("resource", "broken", "phase", "0", "outcome", "failure",
                "exception", "IllegalStateException").timer().count()).isEqualTo(1);
        assertThat(registry.get("async.drop.phase").tags("phase", "100", "outcome", "timeout").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("async.drop.phase").tags("phase", "0", "outcome", "failure").timer().count())
                .isEqualTo(1);
    }

    @Test
    void aDropSkippedAtItsPhasesDeadlineIsCountedWithOutcomeSkipped() throws Exception {
        metrics.bindTo(registry);
        DropPlan plan = DropPlan.builder()
                .phaseTimeout(0, Duration.ofMillis(100))
                .add("user", new MetricsTestHangingPool(), n -> n.dependsOn("used"))
                .add("used", new MetricsTestPool())
                .listener(metrics)
                .build();

        plan.execute().get(30, TimeUnit.SECONDS);

        assertThat(registry.get("async.drop").tags("resource", "user", "outcome", "timeout").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("async.drop").tags("resource", "used", "outcome", "skipped").timer().count())
                .isEqualTo(1);
    }

    @Test
    void aGuardThatIsForgottenIsCountedAsALeakOfItsType() {
        LeakDetection.Level previous = LeakDetection.level();
        LeakDetection.setLevel(LeakDetection.Level.PARANOID);
        try {
            metrics.bindTo(registry);

            forget(AsyncDropGuard.of(new MetricsTestLeakedPool()));

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                System.gc();
                assertThat(registry.find("async.drop.leaks").tags("type", "MetricsTestLeakedPool").counter())
                        .isNotNull()
                        .satisfies((counter) -> assertThat(counter.count()).isEqualTo(1));
            });
            assertThat(logs.await("MetricsTestLeakedPool").getMessage()).startsWith("LEAK: ");
        }
        finally {
            LeakDetection.setLevel(previous);
        }
    }

    @Test
    void theLiveGuardsGaugeReadsTheLiveGuards() {
        metrics.bindTo(registry);
        AsyncDropGuard<MetricsTestPool> guard = AsyncDropGuard.of(new MetricsTestPool());
        try {
            assertThat(registry.get("async.drop.guards.live").gauge().value()).isPositive();
        }
        finally {
            guard.close();
        }
    }

    @Test
    void metricsForObservedDropsCountLeaksAndLiveGuardsButTimeNoDrop() throws Exception {
        AsyncDropMetrics observed = AsyncDropMetrics.forObservedDrops(Tags.empty());
        try {
            observed.bindTo(registry);
            DropPlan plan = DropPlan.builder().add("observedPool", new MetricsTestPool()).listener(observed).build();

            drop(new MetricsTestPool());
            plan.execute().get(30, TimeUnit.SECONDS);

            assertThat(registry.find("async.drop").meters()).isEmpty();
            assertThat(registry.find("async.drop.phase").meters()).isEmpty();
            assertThat(registry.get("async.drop.guards.live").gauge()).isNotNull();
        }
        finally {
            observed.close();
        }
    }

    @Test
    void everyMeterHasADescriptionAndEveryMeterOtherThanATimerABaseUnit() {
        metrics.bindTo(registry);
        drop(new MetricsTestPool());
        metrics.onPhaseFinished(0, Duration.ofMillis(5), DropOutcome.DROPPED);

        assertThat(registry.getMeters()).isNotEmpty().allSatisfy((meter) -> {
            assertThat(meter.getId().getDescription()).isNotBlank();
            if (meter.getId().getType() != Meter.Type.TIMER) {
                assertThat(meter.getId().getBaseUnit()).isNotBlank();
            }
        });
    }

    @Test
    void extraTagsAreAddedToEveryMeter() {
        AsyncDropMetrics tagged = new AsyncDropMetrics(Tags.of("application", "orders"));
        try {
            tagged.bindTo(registry);
            drop(new MetricsTestPool());

            assertThat(registry.getMeters()).isNotEmpty()
                    .allSatisfy((meter) -> assertThat(meter.getId().getTag("application")).isEqualTo("orders"));
        }
        finally {
            tagged.close();
        }
    }

    @Test
    void dropsAreRecordedIntoEveryBoundRegistry() {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.bindTo(other);

        drop(new MetricsTestPool());

        assertThat(registry.get("async.drop").tags("resource", "MetricsTestPool").timer().count()).isEqualTo(1);
        assertThat(other.get("async.drop").tags("resource", "MetricsTestPool").timer().count()).isEqualTo(1);
    }

    @Test
    void bindingTwiceToOneRegistryCountsEachDropOnce() {
        metrics.bindTo(registry);
        metrics.bindTo(registry);

        drop(new MetricsTestPool());

        assertThat(registry.get("async.drop").tags("resource", "MetricsTestPool").timer().count()).isEqualTo(1);
    }

    @Test
    void afterCloseNothingMoreIsRecorded() {
        metrics.bindTo(registry);
        metrics.close();

        drop(new MetricsTestPool());

        assertThat(registry.find("async.drop").timers()).isEmpty();
    }

    @Test
    void bindingClosedMetricsIsRefusedWithAnExplanation() {
        metrics.close();

        assertThatIllegalStateException().isThrownBy(() -> metrics.bindTo(registry))
                .withMessageContaining("were closed");
    }

    @Test
    void aRegistryIsNotKeptReachableByTheMetricsBoundToIt() {
        MeterRegistry transientRegistry = new SimpleMeterRegistry();
        metrics.bindTo(transientRegistry);
        WeakReference<MeterRegistry> reference = new WeakReference<>(transientRegistry);
        transientRegistry = null;

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return reference.get() == null;
        });
        // The next drop notices the collected registry and removes its listeners; nothing fails.
        drop(new MetricsTestPool());
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertThatNullPointerException().isThrownBy(() -> new AsyncDropMetrics(null)).withMessage(
                "'tags' must not be null");
        assertThatNullPointerException().isThrownBy(() -> metrics.bindTo(null))
                .withMessage("'registry' must not be null");
    }

    @Test
    void concurrentDropsFromManyThreadsAreAllCounted() throws Exception {
        metrics.bindTo(registry);
        int threads = 8;
        int dropsPerThread = 500;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < dropsPerThread; i++) {
                        drop(new MetricsTestConcurrentPool());
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            executor.shutdownNow();
        }

        assertThat(registry.get("async.drop").tags("resource", "MetricsTestConcurrentPool").timer().count())
                .isEqualTo((long) threads * dropsPerThread);
    }

    private static void drop(AsyncDroppable resource) {
        AsyncDropGuard.of(resource).close();
    }

    private static void forget(AsyncDropGuard<?> guard) {
        // Leaves the guard unreachable as soon as this frame is gone.
    }

    static class MetricsTestPool implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static class MetricsTestConcurrentPool extends MetricsTestPool {
    }

    static class MetricsTestLeakedPool extends MetricsTestPool {
    }

    static class MetricsTestFailingPool implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot close"));
        }
    }

    static class MetricsTestHangingPool implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return new CompletableFuture<>();
        }
    }
}
