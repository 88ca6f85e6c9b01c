package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDropException;
import dev.asyncdrop.internal.CyclicFailure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class DropPlanTests {

    private final Drops drops = new Drops();

    @Test
    void aResourceIsDroppedOnlyAfterEveryResourceThatDependsOnItHasFinished() {
        DropPlan plan = DropPlan.builder()
                .add("writer", drops.delayed("writer", 30), n -> n.dependsOn("pool", "executor"))
                .add("reader", drops.delayed("reader", 10), n -> n.dependsOn("pool"))
                .add("pool", drops.instant("pool"))
                .add("executor", drops.instant("executor"))
                .build();

        DropReport report = plan.execute().join();

        assertThat(drops.started("pool")).isGreaterThan(drops.finished("writer"))
                .isGreaterThan(drops.finished("reader"));
        assertThat(drops.started("executor")).isGreaterThan(drops.finished("writer"));
        assertThat(report.records()).extracting(DropRecord::outcome).containsOnly(DropOutcome.DROPPED);
        assertThat(report.records()).hasSize(4);
    }

    @Test
    void independentResourcesDropConcurrently() throws Exception {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        DropPlan plan = DropPlan.builder()
                .add("first", drops.resource("first", () -> first))
                .add("second", drops.resource("second", () -> second))
                .build();

        CompletableFuture<DropReport> execution = plan.execute();

        await().atMost(Duration.ofSeconds(10)).until(() -> drops.started("first") != null
                && drops.started("second") != null);
        assertThat(execution).isNotDone();
        first.complete(null);
        second.complete(null);
        assertThat(execution.get(10, TimeUnit.SECONDS).count(DropOutcome.DROPPED)).isEqualTo(2);
    }

    @Test
    void aResourceStartsTheMomentItsLastDependentFinishesNotWhenItsLevelIsDone() throws Exception {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        DropPlan plan = DropPlan.builder()
                .add("slowTop", drops.resource("slowTop", () -> slow), n -> n.dependsOn("slowBottom"))
                .add("slowBottom", drops.instant("slowBottom"))
                .add("fastTop", drops.instant("fastTop"), n -> n.dependsOn("fastMiddle"))
                .add("fastMiddle", drops.instant("fastMiddle"), n -> n.dependsOn("fastBottom"))
                .add("fastBottom", drops.instant("fastBottom"))
                .build();

        CompletableFuture<DropReport> execution = plan.execute();

        // The fast chain runs to its end while a resource of its first level is still dropping.
        await().atMost(Duration.ofSeconds(10)).until(() -> drops.finished("fastBottom") != null);
        assertThat(drops.started("slowBottom")).isNull();
        slow.complete(null);
        assertThat(execution.get(10, TimeUnit.SECONDS).count(DropOutcome.DROPPED)).isEqualTo(5);
        assertThat(drops.started("slowBottom")).isGreaterThan(drops.finished("slowTop"));
    }

    @Test
    void phasesDropHighestFirst() {
        DropPlan plan = DropPlan.builder()
                .add("low", drops.instant("low"))
                .add("high", drops.delayed("high", 20), n -> n.phase(100))
                .add("middle", drops.instant("middle"), n -> n.phase(50))
                .build();

        DropReport report = plan.execute().join();

        assertThat(plan.phases()).containsExactly(100, 50, 0);
        assertThat(drops.startOrder).containsExactly("high", "middle", "low");
        assertThat(report.phases()).extracting(PhaseRecord::phase).containsExactly(100, 50, 0);
        assertThat(report.phases()).extracting(PhaseRecord::outcome).containsOnly(DropOutcome.DROPPED);
    }

    @Test
    void theExtremePhasesBuildAndDropInOrderWithoutOverflow() {
        DropPlan plan = DropPlan.builder()
                .add("lowest", drops.instant("lowest"), n -> n.phase(Integer.MIN_VALUE))
                .add("zero", drops.instant("zero"), n -> n.dependsOn("lowest"))
                .add("highest", drops.instant("highest"), n -> n.phase(Integer.MAX_VALUE).dependsOn("lowest", "minus"))
                .add("minus", drops.instant("minus"), n -> n.phase(-1))
                .build();

        DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(plan.phases()).containsExactly(Integer.MAX_VALUE, 0, -1, Integer.MIN_VALUE);
        assertThat(drops.startOrder).containsExactly("highest", "zero", "minus", "lowest");
        assertThat(report.phases()).extracting(PhaseRecord::phase)
                .containsExactly(Integer.MAX_VALUE, 0, -1, Integer.MIN_VALUE);
        assertThat(report.allDropped()).isTrue();
        assertThat(plan.executePhase(Integer.MIN_VALUE).join().records()).extracting(DropRecord::name)
                .containsExactly("lowest");
        assertThat(plan.executePhase(Integer.MAX_VALUE).join().records()).extracting(DropRecord::name)
                .containsExactly("highest");
    }

    @Test
    void aDependencyFromTheLowestPhaseIntoTheHighestIsRejected() {
        DropPlan.Builder builder = DropPlan.builder()
                .add("lowest", drops.instant("lowest"), n -> n.phase(Integer.MIN_VALUE).dependsOn("highest"))
                .add("highest", drops.instant("highest"), n -> n.phase(Integer.MAX_VALUE));

        assertThatThrownBy(builder::build).isInstanceOf(AsyncDropException.class)
                .hasMessageContaining("'lowest' (phase " + Integer.MIN_VALUE + ") depends on 'highest' (phase "
                        + Integer.MAX_VALUE + ")");
    }

    @Test
    void aDependencyInALowerPhaseIsAllowed() {
        DropPlan plan = DropPlan.builder()
                .add("web", drops.instant("web"), n -> n.phase(100).dependsOn("pool"))
                .add("pool", drops.instant("pool"))
                .build();

        plan.execute().join();

        assertThat(drops.started("pool")).isGreaterThan(drops.finished("web"));
    }

    @Test
    void aSynchronousThrowANullStageAndAFailedStageAreFailuresThatStopNoOtherDrop() {
        IllegalStateException thrown = new IllegalStateException("thrown");
        IllegalStateException failed = new IllegalStateException("failed");
        DropPlan plan = DropPlan.builder()
                .add("thrower", () -> {
                    throw thrown;
                }, n -> n.dependsOn("shared"))
                .add("nullStage", () -> null, n -> n.dependsOn("shared"))
                .add("failedStage", () -> CompletableFuture.failedFuture(failed), n -> n.dependsOn("shared"))
                .add("asyncFailure", () -> CompletableFuture.runAsync(() -> {
                    throw failed;
                }), n -> n.dependsOn("shared"))
                .add("fine", drops.instant("fine"))
                .add("shared", drops.instant("shared"))
                .build();

        DropReport report = plan.execute().join();

        assertThat(outcome(report, "thrower")).isEqualTo(DropOutcome.FAILED);
        assertThat(record(report, "thrower").failure()).containsSame(thrown);
        assertThat(outcome(report, "nullStage")).isEqualTo(DropOutcome.FAILED);
        assertThat(record(report, "nullStage").failure()).get().isInstanceOf(AsyncDropException.class)
                .extracting(Throwable::getMessage).asString().contains("'nullStage'", "returned null");
        assertThat(record(report, "failedStage").failure()).containsSame(failed);
        assertThat(record(report, "asyncFailure").failure()).containsSame(failed);
        assertThat(outcome(report, "fine")).isEqualTo(DropOutcome.DROPPED);
        assertThat(outcome(report, "shared")).isEqualTo(DropOutcome.DROPPED);
        assertThat(report.count(DropOutcome.FAILED)).isEqualTo(4);
        assertThat(report.phases().get(0).outcome()).isEqualTo(DropOutcome.FAILED);
    }

    @Test
    void aFailureWhoseCausesFormACycleIsFailedAtOnce() {
        CompletionException first = CyclicFailure.twoWrappersCausingEachOther("first");
        Throwable second = first.getCause();
        DropPlan plan = DropPlan.builder()
                .defaultPhaseTimeout(Duration.ofMinutes(5))
                .add("cyclic", () -> CompletableFuture.failedFuture(first), n -> n.dependsOn("pool"))
                .add("cyclicLater", () -> CompletableFuture.runAsync(() -> {
                    throw (CompletionException) second;
                }), n -> n.dependsOn("pool"))
                .add("pool", drops.instant("pool"))
                .build();

        // Well within the phase timeout: a walk that went round the cycle would never end, and the phase with it.
        DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(outcome(report, "cyclic")).isEqualTo(DropOutcome.FAILED);
        assertThat(record(report, "cyclic").failure()).containsSame(first);
        assertThat(outcome(report, "cyclicLater")).isEqualTo(DropOutcome.FAILED);
        assertThat(outcome(report, "pool")).isEqualTo(DropOutcome.DROPPED);
    }

    @Test
    void aStageThatRefusesACallbackIsAFailureRatherThanAHang() {
        UnsupportedOperationException refusal = new UnsupportedOperationException("no callbacks here");
        CompletableFuture<Void> refusing = new CompletableFuture<>() {
            @Override
            public CompletableFuture<Void> whenComplete(
                    BiConsumer<? super Void, ? super Throwable> action) {
                throw refusal;
            }
        };
        DropPlan plan = DropPlan.builder()
                .add("refusing", () -> refusing, n -> n.dependsOn("pool"))
                .add("pool", drops.instant("pool"))
                .build();

        DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(record(report, "refusing").failure()).containsSame(refusal);
        assertThat(outcome(report, "pool")).isEqualTo(DropOutcome.DROPPED);
    }

    @Test
    void minimalStagesAreWaitedForLikeAnyOtherStage() {
        // A minimal stage is a CompletableFuture whose isDone() throws UnsupportedOperationException.
        CompletableFuture<Void> pending = new CompletableFuture<>();
        DropPlan plan = DropPlan.builder()
                .add("done", () -> CompletableFuture.<Void>completedFuture(null).minimalCompletionStage(),
                        n -> n.dependsOn("pool"))
                .add("pending", drops.resource("pending", pending::minimalCompletionStage), n -> n.dependsOn("pool"))
                .add("pool", drops.instant("pool"))
                .build();

        CompletableFuture<DropReport> execution = plan.execute();
        await().atMost(Duration.ofSeconds(10)).until(() -> drops.started("pending") != null);
        pending.complete(null);
        DropReport report = execution.orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(report.records()).extracting(DropRecord::outcome).containsOnly(DropOutcome.DROPPED);
        assertThat(drops.started("pool")).isGreaterThan(drops.finished("pending"));
    }

    @Test
    void executingTwiceReturnsTheSameRunAndDropsEachResourceOnce() {
        DropPlan plan = DropPlan.builder()
                .add("a", drops.delayed("a", 10), n -> n.dependsOn("b"))
                .add("b", drops.instant("b"), n -> n.phase(-1))
                .build();

        DropReport first = plan.execute().join();
        DropReport second = plan.execute().join();
        DropReport phase = plan.executePhase(0).join();

        assertThat(drops.dropCalls("a")).isEqualTo(1);
        assertThat(drops.dropCalls("b")).isEqualTo(1);
        assertThat(second.records()).isEqualTo(first.records());
        assertThat(phase.records()).extracting(DropRecord::name).containsExactly("a");
    }

    @Test
    void concurrentExecutionsOfOnePlanDropEachResourceExactlyOnce() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                Drops roundDrops = new Drops();
                DropPlan.Builder builder = DropPlan.builder();
                for (int i = 0; i < 20; i++) {
                    String name = "r" + i;
                    builder.add(name, roundDrops.instant(name), n -> n.phase(name.length()));
                }
                DropPlan plan = builder.build();
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<DropReport>> results = new ArrayList<>();
                for (int caller = 0; caller < 8; caller++) {
                    boolean whole = caller % 2 == 0;
                    results.add(callers.submit(() -> {
                        start.await();
                        return whole ? plan.execute().join() : plan.executePhase(1).join();
                    }));
                }
                for (Future<DropReport> result : results) {
                    result.get(10, TimeUnit.SECONDS);
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(roundDrops.dropCalls("r" + i)).isEqualTo(1);
                }
                assertThat(plan.report().records()).hasSize(20);
            }
        }
        finally {
            callers.shutdownNow();
        }
    }

    @Test
    void theReportOfThePlanCombinesThePhasesRunOneByOne() {
        DropPlan plan = DropPlan.builder()
                .add("web", drops.delayed("web", 5), n -> n.phase(10).dependsOn("pool"))
                .add("pool", drops.delayed("pool", 5))
                .build();

        assertThat(plan.report().records()).isEmpty();
        DropReport high = plan.executePhase(10).join();
        assertThat(plan.report().records()).extracting(DropRecord::name).containsExactly("web");
        DropReport low = plan.executePhase(0).join();
        DropReport all = plan.report();

        assertThat(high.records()).extracting(DropRecord::name).containsExactly("web");
        assertThat(low.records()).extracting(DropRecord::name).containsExactly("pool");
        assertThat(all.records()).extracting(DropRecord::name).containsExactly("web", "pool");
        assertThat(all.records().get(1).startOffset()).isGreaterThanOrEqualTo(all.records().get(0).endOffset());
        assertThat(all.criticalPathResources()).containsExactly("web", "pool");
        assertThat(all.makespan()).isGreaterThanOrEqualTo(all.criticalPath());
    }

    @Test
    void executingAPhaseWithoutResourcesReturnsAnEmptyReport() {
        DropPlan plan = DropPlan.builder().add("a", drops.instant("a")).build();

        assertThat(plan.executePhase(42).join().records()).isEmpty();
        assertThat(drops.dropCalls("a")).isZero();
    }

    @Test
    void aResourceThatBlocksInAsyncDropHoldsUpNeitherOthersNorThePhaseDeadline() {
        CountDownLatch release = new CountDownLatch(1);
        try {
            DropPlan plan = DropPlan.builder()
                    .defaultPhaseTimeout(Duration.ofSeconds(3))
                    .add("blocker", drops.blockingInCall("blocker", release), n -> n.dependsOn("afterBlocker"))
                    .add("afterBlocker", drops.instant("afterBlocker"))
                    .add("user", drops.instant("user"), n -> n.dependsOn("independent"))
                    .add("independent", drops.instant("independent"))
                    .build();

            DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(outcome(report, "blocker")).isEqualTo(DropOutcome.TIMED_OUT);
            assertThat(outcome(report, "afterBlocker")).isEqualTo(DropOutcome.SKIPPED);
            assertThat(outcome(report, "user")).isEqualTo(DropOutcome.DROPPED);
            assertThat(outcome(report, "independent")).isEqualTo(DropOutcome.DROPPED);
            await().atMost(Duration.ofSeconds(10)).until(() -> drops.timeoutCalls("blocker") == 1);
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aResourceTimeoutEndsTheWaitCallsTheHookOnceAndLetsItsDependenciesDrop() {
        CompletableFuture<Void> late = new CompletableFuture<>();
        DropPlan plan = DropPlan.builder()
                .add("slow", drops.resource("slow", () -> late),
                        n -> n.dependsOn("pool").timeout(Duration.ofMillis(50)))
                .add("pool", drops.instant("pool"))
                .build();

        DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();
        late.complete(null);

        assertThat(outcome(report, "slow")).isEqualTo(DropOutcome.TIMED_OUT);
        assertThat(outcome(report, "pool")).isEqualTo(DropOutcome.DROPPED);
        assertThat(report.phases().get(0).outcome()).isEqualTo(DropOutcome.TIMED_OUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> drops.timeoutCalls("slow") == 1);
        assertThat(plan.report().records()).extracting(DropRecord::outcome)
                .containsExactly(DropOutcome.TIMED_OUT, DropOutcome.DROPPED);
        assertThat(drops.timeoutCalls("slow")).isEqualTo(1);
    }

    @Test
    void atThePhaseDeadlineRunningDropsTimeOutAndWaitingOnesAreSkipped() {
        DropPlan plan = DropPlan.builder()
                .phaseTimeout(0, Duration.ofSeconds(3))
                .add("hang", drops.hanging("hang"), n -> n.dependsOn("middle"))
                .add("middle", drops.instant("middle"), n -> n.dependsOn("bottom"))
                .add("bottom", drops.instant("bottom"))
                .add("other", drops.instant("other"))
                .add("next", drops.instant("next"), n -> n.phase(-5))
                .build();

        DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(outcome(report, "hang")).isEqualTo(DropOutcome.TIMED_OUT);
        assertThat(outcome(report, "middle")).isEqualTo(DropOutcome.SKIPPED);
        assertThat(outcome(report, "bottom")).isEqualTo(DropOutcome.SKIPPED);
        assertThat(outcome(report, "other")).isEqualTo(DropOutcome.DROPPED);
        assertThat(outcome(report, "next")).isEqualTo(DropOutcome.DROPPED);
        assertThat(drops.dropCalls("middle")).isZero();
        assertThat(record(report, "middle").duration()).isZero();
        assertThat(report.phases()).extracting(PhaseRecord::outcome)
                .containsExactly(DropOutcome.TIMED_OUT, DropOutcome.DROPPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> drops.timeoutCalls("hang") == 1);
        assertThat(drops.timeoutCalls("other")).isZero();
    }

    static DropRecord record(DropReport report, String name) {
        return report.records().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static DropOutcome outcome(DropReport report, String name) {
        return record(report, name).outcome();
    }
}
