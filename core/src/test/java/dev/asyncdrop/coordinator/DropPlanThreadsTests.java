package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.asyncdrop.AsyncDropException;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LogCapture;
import dev.asyncdrop.internal.coordinator.DropThreads;
import dev.asyncdrop.internal.coordinator.PhaseRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DropPlanThreadsTests {

    @RegisterExtension
    final LogCapture logs = LogCapture.of(PhaseRun.class);

    private final Drops drops = new Drops();

    @Test
    void asyncDropIsNeverCalledOnTheCallersThreadAndRunsOnTheGivenExecutor() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ExecutorService executor = Executors.newFixedThreadPool(2, task -> new Thread(task, "custom-drop-thread"));
        try {
            DropPlan.Builder builder = DropPlan.builder().executor(executor);
            for (int i = 0; i < 20; i++) {
                builder.add("r" + i, () -> {
                    threads.add(Thread.currentThread().getName());
                    return CompletableFuture.completedFuture(null);
                }, n -> n.phase(0));
            }

            builder.build().execute().orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(threads).containsExactly("custom-drop-thread");
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theDefaultThreadsAreDaemonsSoTheJvmCanExit() {
        DropPlan.builder()
                .add("a", drops.delayed("a", 5), n -> n.dependsOn("b").timeout(Duration.ofSeconds(5)))
                .add("b", drops.instant("b"))
                .build()
                .execute()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();

        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> thread.getName().startsWith("async-drop"))
                .isNotEmpty().allSatisfy(thread -> assertThat(thread.isDaemon()).isTrue());
    }

    @Test
    void anExecutorThatRejectsWorkDoesNotStopTheDrops() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        executor.shutdown();

        DropReport report = DropPlan.builder()
                .executor(executor)
                .add("a", drops.instant("a"), n -> n.dependsOn("b"))
                .add("b", drops.instant("b"))
                .build()
                .execute()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();

        assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(2);
        assertThat(logs.records()).singleElement().satisfies(record -> assertThat(record.getMessage())
                .contains("The drop executor rejected work").contains("Give the plan an executor that outlives it"));
    }

    @Test
    void anExecutorThatThrowsAnyRuntimeExceptionIsReplacedByTheSharedThreads() {
        DropReport report = DropPlan.builder()
                .executor(task -> {
                    throw new IllegalStateException("closed for the night");
                })
                .add("a", drops.instant("a"), n -> n.dependsOn("b"))
                .add("b", drops.delayed("b", 5))
                .build()
                .execute()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();

        assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(2);
        assertThat(logs.records()).isNotEmpty().allSatisfy(record -> assertThat(record.getMessage())
                .contains("The drop executor rejected work (java.lang.IllegalStateException: closed for the night)"));
    }

    @Test
    void aPhaseThatCannotStartFailsItsResourcesSayingWhyAndTheLowerPhasesStillDrop() {
        ExecutorService threads = Executors.newCachedThreadPool();
        AtomicInteger calls = new AtomicInteger();
        List<String> heard = new CopyOnWriteArrayList<>();
        try {
            DropPlan plan = DropPlan.builder()
                    .executor(task -> {
                        if (calls.getAndIncrement() == 0) {
                            throw new OutOfMemoryError("unable to create native thread");
                        }
                        threads.execute(task);
                    })
                    .add("web", drops.instant("web"), n -> n.phase(1).dependsOn("pool"))
                    .add("session", drops.instant("session"), n -> n.phase(1).dependsOn("web"))
                    .add("pool", drops.instant("pool"))
                    .listener(new DropListenerTests.RecordingListener(heard))
                    .build();

            DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(report.records()).filteredOn(record -> record.phase() == 1).hasSize(2).allSatisfy(record -> {
                assertThat(record.outcome()).isEqualTo(DropOutcome.FAILED);
                assertThat(record.failure().orElseThrow()).isInstanceOf(AsyncDropException.class)
                        .hasMessage("Phase 1 could not start: java.lang.OutOfMemoryError: unable to create native "
                                + "thread")
                        .hasCauseInstanceOf(OutOfMemoryError.class);
            });
            assertThat(DropPlanTests.outcome(report, "pool")).isEqualTo(DropOutcome.DROPPED);
            assertThat(report.phases()).extracting(PhaseRecord::outcome)
                    .containsExactly(DropOutcome.FAILED, DropOutcome.DROPPED);
            assertThat(drops.startOrder).containsExactly("pool");
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("phase 0 DROPPED"));
            assertThat(heard).containsExactly("start session 1", "finish session FAILED", "start web 1",
                    "finish web FAILED", "phase 1 FAILED", "start pool 0", "finish pool DROPPED", "phase 0 DROPPED");
            assertThat(logs.records()).singleElement().satisfies(record -> assertThat(record.getMessage())
                    .isEqualTo("Phase 1 could not start: java.lang.OutOfMemoryError: unable to create native thread; "
                            + "its resources are FAILED"));
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void whenNoSharedThreadCanBeHadTheDeadlineStillEndsThePhaseAndSaysWhichHookWasNotCalled() {
        ThreadPoolExecutor shared = (ThreadPoolExecutor) DropThreads.pool();
        ThreadFactory factory = shared.getThreadFactory();
        long keepAlive = shared.getKeepAliveTime(TimeUnit.NANOSECONDS);
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            // No new shared thread from here on, and the idle ones end: every hand-over to the pool is refused.
            shared.setThreadFactory(task -> null);
            shared.setKeepAliveTime(1, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> shared.getPoolSize() == 0);

            DropReport report = DropPlan.builder()
                    .executor(threads)
                    .phaseTimeout(0, Duration.ofMillis(50))
                    .add("writer", drops.hanging("writer"), n -> n.dependsOn("pool"))
                    .add("pool", drops.hanging("pool"))
                    .build()
                    .execute()
                    .orTimeout(30, TimeUnit.SECONDS)
                    .join();

            assertThat(DropPlanTests.outcome(report, "writer")).isEqualTo(DropOutcome.TIMED_OUT);
            assertThat(DropPlanTests.outcome(report, "pool")).isEqualTo(DropOutcome.SKIPPED);
            assertThat(logs.records()).extracting(LogRecord::getMessage)
                    .contains("onDropTimeout() of 'writer' was not called: no thread could be had for it");
        }
        finally {
            shared.setThreadFactory(factory);
            shared.setKeepAliveTime(keepAlive, TimeUnit.NANOSECONDS);
            threads.shutdownNow();
        }
    }

    @Test
    void aPhaseOutcomeFollowsItsRecordsEvenWhenTheDeadlinePassesAsTheLastDropFinishes() {
        for (int round = 0; round < 200; round++) {
            DropReport report = DropPlan.builder()
                    .phaseTimeout(0, Duration.ofMillis(1))
                    .add("a", () -> CompletableFuture.runAsync(() -> LockSupport.parkNanos(900_000)))
                    .add("b", () -> CompletableFuture.completedFuture(null))
                    .build()
                    .execute()
                    .orTimeout(30, TimeUnit.SECONDS)
                    .join();

            DropOutcome fromRecords = report.records().stream().map(DropRecord::outcome)
                    .anyMatch(outcome -> outcome == DropOutcome.TIMED_OUT || outcome == DropOutcome.SKIPPED)
                            ? DropOutcome.TIMED_OUT : DropOutcome.DROPPED;
            assertThat(report.phases()).singleElement().extracting(PhaseRecord::outcome).as(report.toString())
                    .isEqualTo(fromRecords);
        }
    }

    @Test
    void timersOfResourcesThatFinishedInTimeAreRemoved() {
        DropPlan.Builder builder = DropPlan.builder();
        for (int i = 0; i < 10_000; i++) {
            builder.add("r" + i, () -> CompletableFuture.completedFuture(null), n -> n.timeout(Duration.ofHours(1)));
        }

        DropReport report = builder.build().execute().orTimeout(60, TimeUnit.SECONDS).join();

        assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(10_000);
        assertThat(DropThreads.pendingTimers()).isLessThan(100);
    }

    @Test
    void aPhaseStartedWhileAHigherPhaseRunsWaitsForIt() {
        CompletableFuture<Void> highDrop = new CompletableFuture<>();
        DropPlan plan = DropPlan.builder()
                .add("high", drops.resource("high", () -> highDrop), n -> n.phase(100))
                .add("low", drops.instant("low"))
                .build();

        CompletableFuture<DropReport> high = plan.executePhase(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> drops.started("high") != null);
        CompletableFuture<DropReport> low = plan.executePhase(0);

        assertThat(low).isNotDone();
        assertThat(drops.started("low")).isNull();
        highDrop.complete(null);
        assertThat(low.orTimeout(30, TimeUnit.SECONDS).join().records()).extracting(DropRecord::name)
                .containsExactly("low");
        assertThat(drops.started("low")).isGreaterThan(drops.finished("high"));
        assertThat(high.join().records()).extracting(DropRecord::name).containsExactly("high");
    }

    @Test
    void underRacingDeadlinesAndCompletionsEveryResourceFinishesExactlyOnce() {
        for (int round = 0; round < 40; round++) {
            Map<String, AtomicInteger> finishes = new ConcurrentHashMap<>();
            AtomicInteger phasesFinished = new AtomicInteger();
            DropListener listener = new DropListener() {
                @Override
                public void onDropFinished(DropRecord record) {
                    finishes.computeIfAbsent(record.name(), name -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
                    phasesFinished.incrementAndGet();
                }
            };
            DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(Duration.ofMillis(1 + round % 4))
                    .listener(listener);
            for (int i = 0; i < 60; i++) {
                long delay = i % 3;
                AsyncDroppable resource = () -> CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
                List<String> dependsOn = i + 1 < 60 && i % 2 == 0 ? List.of("r" + (i + 1)) : List.of();
                int phase = i / 20;
                builder.add("r" + i, resource, n -> n.phase(-phase).dependsOn(dependsOn).timeout(Duration.ofMillis(2)));
            }

            DropReport report = builder.build().execute().orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(report.records()).hasSize(60);
            assertThat(finishes).hasSize(60).allSatisfy((name, count) -> assertThat(count.get()).isEqualTo(1));
            assertThat(phasesFinished.get()).isEqualTo(3);
        }
    }

    @Test
    void completionsArrivingFromManyThreadsAtOnceNeverLoseAReadyResource() throws Exception {
        ExecutorService completers = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                // Every top resource is completed by a completer thread at about the same time, so the pushes of
                // the shared dependencies race with workers going idle.
                CyclicBarrier start = new CyclicBarrier(4);
                DropPlan.Builder builder = DropPlan.builder();
                for (int i = 0; i < 4; i++) {
                    CompletableFuture<Void> drop = new CompletableFuture<>();
                    completers.execute(() -> {
                        try {
                            start.await(10, TimeUnit.SECONDS);
                        }
                        catch (Exception ex) {
                            drop.completeExceptionally(ex);
                            return;
                        }
                        drop.complete(null);
                    });
                    builder.add("top" + i, () -> drop, n -> n.dependsOn("middle"));
                }
                builder.add("middle", () -> CompletableFuture.completedFuture(null), n -> n.dependsOn("bottom"));
                builder.add("bottom", () -> CompletableFuture.completedFuture(null));

                DropReport report = builder.build().execute().get(30, TimeUnit.SECONDS);

                assertThat(report.count(DropOutcome.DROPPED)).as("round %s", round).isEqualTo(6);
            }
        }
        finally {
            completers.shutdownNow();
        }
    }

    @Test
    void aTimeoutHookThatBlocksHoldsUpNothing() {
        CountDownLatch release = new CountDownLatch(1);
        try {
            AsyncDroppable stubborn = new AsyncDroppable() {
                @Override
                public CompletableFuture<Void> asyncDrop() {
                    return new CompletableFuture<>();
                }

                @Override
                public void onDropTimeout() {
                    try {
                        release.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            DropReport report = DropPlan.builder()
                    .add("stubborn", stubborn, n -> n.dependsOn("pool").timeout(Duration.ofMillis(20)))
                    .add("pool", drops.instant("pool"))
                    .build()
                    .execute()
                    .orTimeout(30, TimeUnit.SECONDS)
                    .join();

            assertThat(DropPlanTests.outcome(report, "stubborn")).isEqualTo(DropOutcome.TIMED_OUT);
            assertThat(DropPlanTests.outcome(report, "pool")).isEqualTo(DropOutcome.DROPPED);
        }
        finally {
            release.countDown();
        }
    }
}
