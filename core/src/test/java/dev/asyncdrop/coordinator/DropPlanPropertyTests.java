package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropScenario.Behavior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Properties of {@link DropPlan} on random graphs with random phases, delays and failures.
 * <p>
 * Each run checks a fixed list of seeds, and every assertion message starts with the seed, so a failure found once is
 * found again on every run. To rerun one seed alone, set the system property {@value #SEED_PROPERTY}, e.g.
 * {@code mvn -pl core verify -Dtest=DropPlanPropertyTests -Dasyncdrop.test.seed=17}.
 */
class DropPlanPropertyTests {

    static final String SEED_PROPERTY = "asyncdrop.test.seed";

    /** What the test resources saw, on one sequence. */
    static final class Observed {
        final AtomicLong sequence = new AtomicLong();
        final AtomicLongArray started;
        final AtomicLongArray finished;
        final AtomicIntegerArray dropCalls;
        final AtomicIntegerArray timeoutCalls;

        Observed(int size) {
            started = new AtomicLongArray(size);
            finished = new AtomicLongArray(size);
            dropCalls = new AtomicIntegerArray(size);
            timeoutCalls = new AtomicIntegerArray(size);
        }
    }

    /** One execution of a scenario with a hanging drop, started with all the others. */
    record HangingRun(DropScenario scenario, Observed observed, CompletableFuture<DropReport> execution) {
    }

    private static final Duration HANGING_PHASE_TIMEOUT = Duration.ofSeconds(5);

    private static @Nullable Map<Long, HangingRun> hangingRuns;

    static LongStream graphSeeds() {
        return seeds(1, 150);
    }

    static LongStream hangSeeds() {
        // Apart from the seeds above, so that the hanging graphs are not the first of those with a hang added.
        return seeds(1_001, 25);
    }

    private static LongStream seeds(long first, int count) {
        String only = System.getProperty(SEED_PROPERTY);
        return only == null ? LongStream.range(first, first + count) : LongStream.of(Long.parseLong(only.strip()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("graphSeeds")
    void everyResourceDropsExactlyOnceAfterAllItsDependentsFinished(long seed) {
        DropScenario scenario = DropScenario.random(seed, false);
        Observed observed = new Observed(scenario.size());
        DropPlan plan = plan(scenario, observed, Duration.ofSeconds(30));

        DropReport report = execute(plan, scenario);

        assertThat(report.records()).as("seed %s: records of %s", seed, scenario).hasSize(scenario.size());
        for (int i = 0; i < scenario.size(); i++) {
            assertThat(observed.dropCalls.get(i)).as("seed %s: drops of r%s in %s", seed, i, scenario).isEqualTo(1);
            assertThat(DropPlanTests.outcome(report, "r" + i)).as("seed %s: outcome of r%s in %s", seed, i, scenario)
                    .isEqualTo(scenario.behaviors().get(i).expected());
        }
        assertEveryEdgeRespected(scenario, observed);
        assertThat(report.records()).as("seed %s: records, by start, of %s", seed, scenario)
                .isSortedAccordingTo((a, b) -> a.startOffset().compareTo(b.startOffset()));
        assertThat(report.makespan()).as("seed %s: makespan against critical path of %s", seed, scenario)
                .isGreaterThanOrEqualTo(report.criticalPath());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("hangSeeds")
    void aHangingDropTimesOutAtThePhaseDeadlineAndOnlyWhatWaitsForItIsSkipped(long seed) {
        HangingRun run = hangingRuns().get(seed);
        DropScenario scenario = run.scenario();
        Observed observed = run.observed();

        DropReport report = completed(run.execution(), scenario);

        boolean[] waitsForHang = samePhaseDependenciesOf(scenario, scenario.hanging());
        for (int i = 0; i < scenario.size(); i++) {
            DropOutcome outcome = DropPlanTests.outcome(report, "r" + i);
            if (i == scenario.hanging()) {
                assertThat(outcome).as("seed %s: outcome of the hanging r%s in %s", seed, i, scenario)
                        .isEqualTo(DropOutcome.TIMED_OUT);
            }
            else if (waitsForHang[i]) {
                assertThat(outcome).as("seed %s: outcome of r%s, which waits for the hang, in %s", seed, i, scenario)
                        .isEqualTo(DropOutcome.SKIPPED);
                assertThat(observed.dropCalls.get(i)).as("seed %s: drops of skipped r%s in %s", seed, i, scenario)
                        .isZero();
            }
            else {
                assertThat(outcome).as("seed %s: outcome of r%s in %s", seed, i, scenario)
                        .isEqualTo(scenario.behaviors().get(i).expected());
                assertThat(observed.dropCalls.get(i)).as("seed %s: drops of r%s in %s", seed, i, scenario)
                        .isEqualTo(1);
            }
        }
        assertEveryEdgeRespected(scenario, observed);
        int hangingPhase = scenario.phases()[scenario.hanging()];
        assertThat(report.phases()).as("seed %s: outcome of phase %s in %s", seed, hangingPhase, scenario)
                .filteredOn(phase -> phase.phase() == hangingPhase)
                .extracting(PhaseRecord::outcome).containsExactly(DropOutcome.TIMED_OUT);
        await("seed " + seed + ": timeout hook of the hanging r" + scenario.hanging()).atMost(Duration.ofSeconds(10))
                .until(() -> observed.timeoutCalls.get(scenario.hanging()) == 1);
        for (int i = 0; i < scenario.size(); i++) {
            assertThat(observed.timeoutCalls.get(i)).as("seed %s: timeout hook calls of r%s in %s", seed, i, scenario)
                    .isEqualTo(i == scenario.hanging() ? 1 : 0);
        }
    }

    /**
     * Starts every hanging scenario at once, the first time one is needed. Everything that does not wait for the
     * hanging drop must finish before the phase deadline; a generous deadline keeps that true on a busy machine, and
     * running the scenarios together makes the suite wait for it once rather than once per seed.
     */
    private static synchronized Map<Long, HangingRun> hangingRuns() {
        if (hangingRuns == null) {
            Map<Long, HangingRun> runs = new HashMap<>();
            hangSeeds().forEach(seed -> {
                DropScenario scenario = DropScenario.random(seed, true);
                Observed observed = new Observed(scenario.size());
                DropPlan plan = plan(scenario, observed, HANGING_PHASE_TIMEOUT);
                runs.put(seed, new HangingRun(scenario, observed, plan.execute()));
            });
            hangingRuns = runs;
        }
        return hangingRuns;
    }

    /** Runs the plan, failing with the seed rather than hanging the build if it never completes. */
    private static DropReport execute(DropPlan plan, DropScenario scenario) {
        return completed(plan.execute(), scenario);
    }

    private static DropReport completed(CompletableFuture<DropReport> execution, DropScenario scenario) {
        assertThat(execution).as("seed %s: execution of %s", scenario.seed(), scenario)
                .succeedsWithin(Duration.ofSeconds(60));
        return execution.join();
    }

    /** For each edge whose both ends dropped, the dependency's drop started after the dependent's finished. */
    private static void assertEveryEdgeRespected(DropScenario scenario, Observed observed) {
        for (int i = 0; i < scenario.size(); i++) {
            for (int j = 0; j < scenario.size(); j++) {
                long dependencyStart = observed.started.get(j);
                if (scenario.dependsOn()[i][j] && dependencyStart != 0 && i != scenario.hanging()) {
                    assertThat(dependencyStart)
                            .as("seed %s: start of r%s after r%s, which depends on it, finished, in %s",
                                    scenario.seed(), j, i, scenario)
                            .isGreaterThan(observed.finished.get(i)).isGreaterThan(0);
                }
            }
        }
    }

    private static boolean[] samePhaseDependenciesOf(DropScenario scenario, int from) {
        boolean[] reached = new boolean[scenario.size()];
        // Dependencies have higher indexes, so one pass in index order reaches everything transitively.
        for (int i = from; i < scenario.size(); i++) {
            if (i != from && !reached[i]) {
                continue;
            }
            for (int j = i + 1; j < scenario.size(); j++) {
                if (scenario.dependsOn()[i][j] && scenario.phases()[j] == scenario.phases()[from]) {
                    reached[j] = true;
                }
            }
        }
        return reached;
    }

    private static DropPlan plan(DropScenario scenario, Observed observed, Duration phaseTimeout) {
        DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(phaseTimeout);
        for (int node : scenario.addOrder()) {
            List<String> dependsOn = new ArrayList<>();
            for (int j = 0; j < scenario.size(); j++) {
                if (scenario.dependsOn()[node][j]) {
                    dependsOn.add("r" + j);
                }
            }
            builder.add("r" + node, resource(node, scenario, observed),
                    spec -> spec.phase(scenario.phases()[node]).dependsOn(dependsOn));
        }
        return builder.build();
    }

    private static AsyncDroppable resource(int node, DropScenario scenario, Observed observed) {
        Behavior behavior = scenario.behaviors().get(node);
        boolean hangs = node == scenario.hanging();
        return new AsyncDroppable() {
            @Override
            public CompletionStage<Void> asyncDrop() {
                observed.dropCalls.incrementAndGet(node);
                observed.started.set(node, observed.sequence.incrementAndGet());
                if (hangs) {
                    return new CompletableFuture<>();
                }
                switch (behavior) {
                    case THROWS:
                        observed.finished.set(node, observed.sequence.incrementAndGet());
                        throw new IllegalStateException("r" + node + " throws");
                    case NULL_STAGE:
                        observed.finished.set(node, observed.sequence.incrementAndGet());
                        return null;
                    case FAILED_STAGE:
                        observed.finished.set(node, observed.sequence.incrementAndGet());
                        return CompletableFuture.failedFuture(new IllegalStateException("r" + node + " failed"));
                    case INSTANT:
                        observed.finished.set(node, observed.sequence.incrementAndGet());
                        return CompletableFuture.completedFuture(null);
                    default:
                        boolean fails = behavior == Behavior.FAILS_LATER;
                        return CompletableFuture.runAsync(() -> {
                            observed.finished.set(node, observed.sequence.incrementAndGet());
                            if (fails) {
                                throw new IllegalStateException("r" + node + " failed later");
                            }
                        }, CompletableFuture.delayedExecutor(scenario.delaysMillis()[node], TimeUnit.MILLISECONDS));
                }
            }

            @Override
            public void onDropTimeout() {
                observed.timeoutCalls.incrementAndGet(node);
            }
        };
    }
}
