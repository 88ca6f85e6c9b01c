package dev.asyncdrop.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import dev.asyncdrop.AsyncDrop;
import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.LeakDetection.Level;
import dev.asyncdrop.SharedAsyncDrop;

/**
 * Runs fixture test classes with JUnit's engine test kit and checks which of their tests {@code @DetectLeaks} fails,
 * and why. The fixtures fail on purpose, so they run only from here (see {@link Fixture}).
 */
@ExtendWith(CapturedLog.class)
class DetectLeaksTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Level originalLevel = LeakDetection.level();

    @AfterEach
    void restoreLevel() {
        LeakDetection.setLevel(this.originalLevel);
        if (CleanFixture.kept != null) {
            CleanFixture.kept.close();
            CleanFixture.kept = null;
        }
    }

    @Test
    void aTestThatLeaksAGuardFailsNamingTheResourceTypeAndTheMethodThatCreatedIt() {
        EngineExecutionResults results = run(LeakingFixture.class);

        assertThat(failedTests(results)).containsExactly("leaksAConnection()");
        assertThat(failureOf(results, "leaksAConnection()")).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("leaksAConnection() leaked 1 AsyncDropGuard: created during the test and "
                        + "garbage-collected without being dropped or disarmed")
                .hasMessageContaining("1. " + Connection.class.getName() + " (Connection[db])")
                .hasMessageContaining("(Connection[db]), created at" + System.lineSeparator() + "\tat "
                        + LeakingFixture.class.getName() + ".openAndForget(")
                .hasMessageContaining("at " + LeakingFixture.class.getName() + ".leaksAConnection(")
                .hasMessageContaining("frames below the test class omitted")
                .hasMessageContaining("Drop a guard with asyncDrop() or close()");
        assertThat(CapturedLog.messages()).anySatisfy(logged -> assertThat(logged).contains("Connection[db]"));
    }

    @Test
    void theTestThatRunsAfterALeakingOneIsNotBlamedForItsLeak() {
        EngineExecutionResults results = run(LeakingFixture.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(succeededTests(results)).containsExactly("dropsItsConnection()");
    }

    @Test
    void droppedDisarmedSharedScopedAndStillReachableGuardsDoNotFailATest() {
        EngineExecutionResults results = run(CleanFixture.class);

        assertThat(failedTests(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.started(7).succeeded(7));
    }

    @Test
    void leakDetectionIsParanoidDuringTheTestAndTheLevelItFoundIsRestoredAfterwards() {
        LeakDetection.setLevel(Level.DISABLED);

        run(CleanFixture.class, LeakingFixture.class);

        assertThat(CleanFixture.levelDuringTest).isEqualTo(Level.PARANOID);
        assertThat(LeakDetection.level()).isEqualTo(Level.DISABLED);
    }

    @Test
    void aGuardLeakedOnAnotherThreadAndOneReportedWhileTheTestStillRanFailTheirTests() {
        EngineExecutionResults results = run(OtherLeaksFixture.class);

        assertThat(failedTests(results)).containsExactlyInAnyOrder("leaksOnAnotherThread()",
                "seesItsLeakReportedBeforeItEnds()");
        assertThat(failureOf(results, "leaksOnAnotherThread()"))
                .hasMessageContaining(Connection.class.getName() + " (Connection[from-another-thread])");
        assertThat(failureOf(results, "seesItsLeakReportedBeforeItEnds()"))
                .hasMessageContaining(Connection.class.getName() + " (Connection[reported-early])");
    }

    @Test
    void onAMethodItDetectsLeaksOfThatMethodOnly() {
        LeakDetection.setLevel(Level.PARANOID);
        long leaksBefore = LeakDetection.leaksDetected();

        EngineExecutionResults results = run(MethodLevelFixture.class);

        assertThat(failedTests(results)).containsExactly("detectsLeaks()");
        // The other method's leak goes unnoticed by the tests; wait for its report so that it is captured.
        await().atMost(PATIENCE).until(() -> {
            LeakSweep.collect();
            return CapturedLog.messages().stream().anyMatch(logged -> logged.contains("Connection[unwatched]"));
        });
        assertThat(LeakDetection.leaksDetected()).isGreaterThanOrEqualTo(leaksBefore + 2);
    }

    @Test
    void inParallelLeakDetectingTestsNeverOverlapAndOnlyTheLeakingOneFails() {
        LeakDetection.setLevel(Level.PARANOID);
        ParallelFixtures.reset();

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ParallelFixtures.Leaking.class), selectClass(ParallelFixtures.Clean.class),
                        selectClass(ParallelFixtures.CreatesGuardsWithoutDetecting.class))
                .configurationParameter(Fixture.ENABLED, "true")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .execute();

        assertThat(failedTests(results)).containsExactly("leaks()");
        assertThat(failureOf(results, "leaks()")).hasMessageContaining("Connection[parallel-leak]")
                .hasMessageNotContaining("Connection[beside]");
        results.testEvents().assertStatistics(stats -> stats.started(9).succeeded(8).failed(1));
        assertThat(ParallelFixtures.mostLeakDetectingAtOnce.get()).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> {
            LeakSweep.collect();
            return CapturedLog.messages().stream().filter(logged -> logged.contains("Connection[beside]"))
                    .count() == 3;
        });
    }

    private static EngineExecutionResults run(Class<?>... fixtures) {
        DiscoverySelector[] selectors = Arrays.stream(fixtures).map(fixture -> selectClass(fixture))
                .toArray(DiscoverySelector[]::new);
        return EngineTestKit.engine("junit-jupiter").selectors(selectors)
                .configurationParameter(Fixture.ENABLED, "true").execute();
    }

    private static List<String> failedTests(EngineExecutionResults results) {
        return results.testEvents().failed().stream().map(event -> event.getTestDescriptor().getDisplayName())
                .toList();
    }

    private static List<String> succeededTests(EngineExecutionResults results) {
        return results.testEvents().succeeded().stream().map(event -> event.getTestDescriptor().getDisplayName())
                .toList();
    }

    private static Throwable failureOf(EngineExecutionResults results, String test) {
        return results.testEvents().failed().stream()
                .filter(event -> event.getTestDescriptor().getDisplayName().equals(test)).findFirst()
                .flatMap(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable())
                .orElseThrow(() -> new AssertionError(test + " did not fail: " + results.testEvents().list()));
    }

    record Connection(String name) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "Connection[" + this.name + "]";
        }
    }

    @Fixture
    @DetectLeaks
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LeakingFixture {

        @Test
        @Order(1)
        void leaksAConnection() {
            openAndForget("db");
        }

        @Test
        @Order(2)
        void dropsItsConnection() {
            AsyncDropGuard.of(new Connection("closed")).close();
        }

        private static void openAndForget(String name) {
            AsyncDropGuard.of(new Connection(name));
        }
    }

    @Fixture
    @DetectLeaks
    static class CleanFixture {

        static volatile AsyncDropGuard<Connection> kept;

        static volatile Level levelDuringTest;

        @Test
        void dropsAGuard() {
            levelDuringTest = LeakDetection.level();
            AsyncDropGuard.of(new Connection("dropped")).asyncDrop().toCompletableFuture().join();
        }

        @Test
        void disarmsAGuardAndDropsTheResourceItself() {
            Connection connection = AsyncDropGuard.of(new Connection("disarmed")).unsafeIntoInnerDontDrop();
            connection.asyncDrop().toCompletableFuture().join();
        }

        @Test
        void usesAGuardThroughAsyncDropUsing() {
            AsyncDrop.using(AsyncDropGuard.of(new Connection("used")), connection ->
                    CompletableFuture.completedFuture(connection.name())).join();
        }

        @Test
        void dropsEverySharedHandle() {
            AsyncDropGuard<SharedAsyncDrop<Connection>> first = SharedAsyncDrop.of(
                    AsyncDropGuard.of(new Connection("shared")));
            AsyncDropGuard<SharedAsyncDrop<Connection>> second = first.get().share();
            AsyncDrop.dropAll(List.of(first, second)).join();
        }

        @Test
        void dropsAScopeWithTheGuardsItTracks() {
            AsyncDropGuard<AsyncDropScope> scope = AsyncDropScope.create();
            scope.get().track(new Connection("tracked-1"));
            scope.get().track(new Connection("tracked-2"));
            scope.close();
        }

        @Test
        void keepsAGuardReachableForLater() {
            kept = AsyncDropGuard.of(new Connection("kept"));
        }

        @Test
        void createsAndDropsAGuardOnAnotherThread() {
            CompletableFuture.runAsync(() -> AsyncDropGuard.of(new Connection("elsewhere")).close()).join();
        }
    }

    @Fixture
    @DetectLeaks
    static class OtherLeaksFixture {

        @Test
        void leaksOnAnotherThread() {
            CompletableFuture.runAsync(() -> AsyncDropGuard.of(new Connection("from-another-thread"))).join();
        }

        @Test
        void seesItsLeakReportedBeforeItEnds() {
            long before = LeakDetection.leaksDetected();
            AsyncDropGuard.of(new Connection("reported-early"));
            await().atMost(PATIENCE).until(() -> {
                LeakSweep.collect();
                return LeakDetection.leaksDetected() > before;
            });
        }
    }

    @Fixture
    static class MethodLevelFixture {

        @Test
        @DetectLeaks
        void detectsLeaks() {
            AsyncDropGuard.of(new Connection("watched"));
        }

        @Test
        void doesNotDetectLeaks() {
            AsyncDropGuard.of(new Connection("unwatched"));
        }
    }

    static final class ParallelFixtures {

        static final AtomicInteger leakDetectingNow = new AtomicInteger();

        static final AtomicInteger mostLeakDetectingAtOnce = new AtomicInteger();

        static void reset() {
            leakDetectingNow.set(0);
            mostLeakDetectingAtOnce.set(0);
        }

        @Fixture
        abstract static class LeakDetecting {

            @BeforeEach
            void enter() throws InterruptedException {
                mostLeakDetectingAtOnce.accumulateAndGet(leakDetectingNow.incrementAndGet(), Math::max);
                // Gives another leak-detecting test the chance to start now, which the lock must prevent.
                Thread.sleep(20);
            }

            @AfterEach
            void leave() {
                leakDetectingNow.decrementAndGet();
            }
        }

        @DetectLeaks
        static class Leaking extends LeakDetecting {

            @Test
            void leaks() {
                AsyncDropGuard.of(new Connection("parallel-leak"));
            }

            @Test
            void dropsOne() {
                AsyncDropGuard.of(new Connection("parallel-dropped")).close();
            }

            @Test
            void dropsAnother() {
                AsyncDropGuard.of(new Connection("parallel-dropped-too")).close();
            }
        }

        @DetectLeaks
        static class Clean extends LeakDetecting {

            @Test
            void dropsOne() {
                AsyncDropGuard.of(new Connection("parallel-clean")).close();
            }

            @Test
            void dropsAnother() {
                AsyncDropGuard.of(new Connection("parallel-clean-too")).close();
            }

            @Test
            void dropsAThird() {
                AsyncDropGuard.of(new Connection("parallel-clean-three")).close();
            }
        }

        /** Leaks, but holds the lock shared, so that it never runs while a leak-detecting test does. */
        @Fixture
        @ResourceLock(value = DetectLeaks.RESOURCE_LOCK, mode = ResourceAccessMode.READ)
        static class CreatesGuardsWithoutDetecting {

            @Test
            void leaksOne() {
                AsyncDropGuard.of(new Connection("beside"));
            }

            @Test
            void leaksAnother() {
                AsyncDropGuard.of(new Connection("beside"));
            }

            @Test
            void leaksAThird() {
                AsyncDropGuard.of(new Connection("beside"));
            }
        }
    }
}
