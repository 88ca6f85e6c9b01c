package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.asyncdrop.AsyncDroppable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Properties of {@link DropPlan} on random graphs with random phases, delays and failures. */
class DropPlanPropertyTest {

    enum Behavior {
        INSTANT, DELAYED, THROWS, NULL_STAGE, FAILED_STAGE, FAILS_LATER;

        DropOutcome expected() {
            return this == INSTANT || this == DELAYED ? DropOutcome.DROPPED : DropOutcome.FAILED;
        }
    }

    /**
     * A random graph: resource {@code i} may depend only on resources {@code j > i}, so it is acyclic, and phases do
     * not increase with the index, so no dependency points into a higher phase. Resources are added in a random
     * order, so the order of addition says nothing about the order of drops.
     */
    record Scenario(int size, int[] phases, List<Behavior> behaviors, boolean[][] dependsOn, List<Integer> addOrder,
            int hanging) {

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < size; i++) {
                int node = i;
                text.append("r").append(i).append("[phase ").append(phases[i]).append(", ").append(behaviors.get(i))
                        .append(i == hanging ? ", HANGS" : "").append("] -> ")
                        .append(IntStream.range(0, size).filter(j -> dependsOn[node][j]).mapToObj(j -> "r" + j)
                                .collect(Collectors.joining(", ")))
                        .append("; ");
            }
            return text + "added in order " + addOrder;
        }
    }

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

    @Provide
    Arbitrary<Scenario> graphs() {
        return scenarios(false);
    }

    @Provide
    Arbitrary<Scenario> graphsWithAHang() {
        return scenarios(true);
    }

    private static Arbitrary<Scenario> scenarios(boolean withHang) {
        return Arbitraries.integers().between(1, 24).flatMap(size -> Combinators.combine(
                Arbitraries.integers().between(0, 3).list().ofSize(size),
                Arbitraries.of(Behavior.class).list().ofSize(size),
                Arbitraries.integers().between(0, 99).list().ofSize(size * size),
                Arbitraries.integers().between(0, 50),
                Arbitraries.shuffle(IntStream.range(0, size).boxed().collect(Collectors.toList())),
                withHang ? Arbitraries.integers().between(0, size - 1) : Arbitraries.just(-1))
                .as((phaseList, behaviors, rolls, density, addOrder, hanging) -> {
                    int[] phases = phaseList.stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
                    boolean[][] dependsOn = new boolean[size][size];
                    for (int i = 0; i < size; i++) {
                        for (int j = i + 1; j < size; j++) {
                            dependsOn[i][j] = rolls.get(i * size + j) < density;
                        }
                    }
                    return new Scenario(size, phases, behaviors, dependsOn, addOrder, hanging);
                }));
    }

    @Property(tries = 150)
    void everyResourceDropsExactlyOnceAfterAllItsDependentsFinished(@ForAll("graphs") Scenario scenario) {
        Observed observed = new Observed(scenario.size());
        DropPlan plan = plan(scenario, observed, Duration.ofSeconds(30));

        DropReport report = plan.execute().orTimeout(60, TimeUnit.SECONDS).join();

        assertThat(report.records()).hasSize(scenario.size());
        for (int i = 0; i < scenario.size(); i++) {
            assertThat(observed.dropCalls.get(i)).as("drops of r%s", i).isEqualTo(1);
            assertThat(DropPlanTest.outcome(report, "r" + i)).as("outcome of r%s", i)
                    .isEqualTo(scenario.behaviors().get(i).expected());
        }
        assertEveryEdgeRespected(scenario, observed);
        assertThat(report.records()).isSortedAccordingTo((a, b) -> a.startOffset().compareTo(b.startOffset()));
        assertThat(report.makespan()).isGreaterThanOrEqualTo(report.criticalPath());
    }

    @Property(tries = 25)
    void aHangingDropTimesOutAtThePhaseDeadlineAndOnlyWhatWaitsForItIsSkipped(
            @ForAll("graphsWithAHang") Scenario scenario) {
        Observed observed = new Observed(scenario.size());
        DropPlan plan = plan(scenario, observed, Duration.ofMillis(500));

        DropReport report = plan.execute().orTimeout(60, TimeUnit.SECONDS).join();

        boolean[] waitsForHang = samePhaseDependenciesOf(scenario, scenario.hanging());
        for (int i = 0; i < scenario.size(); i++) {
            DropOutcome outcome = DropPlanTest.outcome(report, "r" + i);
            if (i == scenario.hanging()) {
                assertThat(outcome).as("outcome of the hanging r%s", i).isEqualTo(DropOutcome.TIMED_OUT);
            }
            else if (waitsForHang[i]) {
                assertThat(outcome).as("outcome of r%s, which waits for the hang", i).isEqualTo(DropOutcome.SKIPPED);
                assertThat(observed.dropCalls.get(i)).as("drops of skipped r%s", i).isZero();
            }
            else {
                assertThat(outcome).as("outcome of r%s", i).isEqualTo(scenario.behaviors().get(i).expected());
                assertThat(observed.dropCalls.get(i)).as("drops of r%s", i).isEqualTo(1);
            }
        }
        assertEveryEdgeRespected(scenario, observed);
        int hangingPhase = scenario.phases()[scenario.hanging()];
        assertThat(report.phases()).filteredOn(phase -> phase.phase() == hangingPhase)
                .extracting(PhaseRecord::outcome).containsExactly(DropOutcome.TIMED_OUT);
        await().atMost(Duration.ofSeconds(10)).until(() -> observed.timeoutCalls.get(scenario.hanging()) == 1);
        for (int i = 0; i < scenario.size(); i++) {
            assertThat(observed.timeoutCalls.get(i)).as("timeout hook calls of r%s", i)
                    .isEqualTo(i == scenario.hanging() ? 1 : 0);
        }
    }

    /** For each edge whose both ends dropped, the dependency's drop started after the dependent's finished. */
    private static void assertEveryEdgeRespected(Scenario scenario, Observed observed) {
        for (int i = 0; i < scenario.size(); i++) {
            for (int j = 0; j < scenario.size(); j++) {
                long dependencyStart = observed.started.get(j);
                if (scenario.dependsOn()[i][j] && dependencyStart != 0 && i != scenario.hanging()) {
                    assertThat(dependencyStart).as("start of r%s after r%s, which depends on it, finished", j, i)
                            .isGreaterThan(observed.finished.get(i)).isGreaterThan(0);
                }
            }
        }
    }

    private static boolean[] samePhaseDependenciesOf(Scenario scenario, int from) {
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

    private static DropPlan plan(Scenario scenario, Observed observed, Duration phaseTimeout) {
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

    private static AsyncDroppable resource(int node, Scenario scenario, Observed observed) {
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
                        }, CompletableFuture.delayedExecutor(node % 3, TimeUnit.MILLISECONDS));
                }
            }

            @Override
            public void onDropTimeout() {
                observed.timeoutCalls.incrementAndGet(node);
            }
        };
    }
}
