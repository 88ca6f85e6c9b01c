package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDropException;
import dev.asyncdrop.AsyncDroppable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class DropPlanBuilderTests {

    private static final AsyncDroppable INSTANT = () -> CompletableFuture.completedFuture(null);

    @Test
    void duplicateNamesAreRejectedNamingTheResource() {
        DropPlan.Builder builder = DropPlan.builder().add("pool", INSTANT).add("pool", INSTANT);

        assertThatExceptionOfType(AsyncDropException.class).isThrownBy(builder::build)
                .withMessageContaining("'pool' was added twice").withMessageContaining("unique name");
    }

    @Test
    void unknownDependenciesAreRejectedNamingBothResourcesAndWhatToDo() {
        DropPlan.Builder builder = DropPlan.builder()
                .add("writer", INSTANT, n -> n.dependsOn("pol"))
                .add("pool", INSTANT);

        assertThatExceptionOfType(AsyncDropException.class).isThrownBy(builder::build)
                .withMessageContaining("'writer' depends on 'pol', which was not added; add it or fix the name");
    }

    @Test
    void aCycleIsRejectedWithItsFullPath() {
        DropPlan.Builder builder = DropPlan.builder()
                .add("a", INSTANT, n -> n.dependsOn("b"))
                .add("b", INSTANT, n -> n.dependsOn("c"))
                .add("c", INSTANT, n -> n.dependsOn("a"))
                .add("d", INSTANT, n -> n.dependsOn("a"));

        assertThatExceptionOfType(DependencyCycleException.class).isThrownBy(builder::build)
                .satisfies(ex -> assertThat(ex.cycle()).containsExactly("a", "b", "c", "a"))
                .withMessageContaining("a -> b -> c -> a").withMessageContaining("Remove one of these dependencies");
    }

    @Test
    void aCycleBehindAnAcyclicPartIsFound() {
        DropPlan.Builder builder = DropPlan.builder()
                .add("top", INSTANT, n -> n.dependsOn("x"))
                .add("x", INSTANT, n -> n.dependsOn("y"))
                .add("y", INSTANT, n -> n.dependsOn("z", "leaf"))
                .add("z", INSTANT, n -> n.dependsOn("y"))
                .add("leaf", INSTANT);

        assertThatExceptionOfType(DependencyCycleException.class).isThrownBy(builder::build)
                .satisfies(ex -> assertThat(ex.cycle()).containsExactly("y", "z", "y"));
    }

    @Test
    void aSelfDependencyIsACycle() {
        DropPlan.Builder builder = DropPlan.builder().add("a", INSTANT, n -> n.dependsOn("a"));

        assertThatExceptionOfType(DependencyCycleException.class).isThrownBy(builder::build)
                .satisfies(ex -> assertThat(ex.cycle()).containsExactly("a", "a"));
    }

    @Test
    void aDependencyIntoAHigherPhaseIsRejectedSayingWhatToChange() {
        DropPlan.Builder builder = DropPlan.builder()
                .add("writer", INSTANT, n -> n.dependsOn("pool"))
                .add("pool", INSTANT, n -> n.phase(100));

        assertThatExceptionOfType(AsyncDropException.class).isThrownBy(builder::build)
                .withMessageContaining("'writer' (phase 0) depends on 'pool' (phase 100)")
                .withMessageContaining("put 'writer' in phase 100 or higher, or 'pool' in phase 0 or lower");
    }

    @Test
    void aDependencyRepeatedCountsOnce() {
        DropPlan plan = DropPlan.builder()
                .add("writer", INSTANT, n -> n.dependsOn("pool", "pool").dependsOn(List.of("pool")))
                .add("pool", INSTANT)
                .build();

        assertThat(plan.resource("writer").orElseThrow().dependsOn()).containsExactly("pool");
        assertThat(plan.execute().orTimeout(10, TimeUnit.SECONDS).join().count(DropOutcome.DROPPED)).isEqualTo(2);
    }

    @Test
    void badArgumentsAreRejectedAtOnceNamingTheParameter() {
        DropPlan.Builder builder = DropPlan.builder();

        assertThatNullPointerException().isThrownBy(() -> builder.add(null, INSTANT))
                .withMessage("'name' must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.add(" ", INSTANT))
                .withMessage("'name' must not be blank");
        assertThatNullPointerException().isThrownBy(() -> builder.add("a", null))
                .withMessage("'resource' must not be null");
        assertThatNullPointerException().isThrownBy(() -> builder.add("a", INSTANT, null))
                .withMessage("'spec' must not be null");
        assertThatNullPointerException().isThrownBy(() -> builder.listener(null))
                .withMessage("'listener' must not be null");
        assertThatNullPointerException().isThrownBy(() -> builder.executor(null))
                .withMessage("'executor' must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.defaultPhaseTimeout(Duration.ZERO))
                .withMessage("'timeout' must be positive, but was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.phaseTimeout(1, Duration.ofSeconds(-1)))
                .withMessage("'timeout' of phase 1 must be positive, but was PT-1S");
        assertThatNullPointerException().isThrownBy(() -> builder.phaseTimeout(1, null))
                .withMessage("'timeout' of phase 1 must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.add("a", INSTANT, n -> n.timeout(Duration.ZERO)))
                .withMessage("'timeout' of resource 'a' must be positive, but was PT0S");
        assertThatNullPointerException().isThrownBy(() -> builder.add("a", INSTANT, n -> n.dependsOn((String) null)))
                .withMessage("'names' of resource 'a' must not contain null");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.add("a", INSTANT, n -> n.dependsOn("")))
                .withMessage("'names' of resource 'a' must not contain a blank name");
        assertThat(builder.build().resources()).isEmpty();
    }

    @Test
    void thePlanDescribesItsResourcesPhasesAndTimeouts() {
        DropPlan plan = DropPlan.builder()
                .defaultPhaseTimeout(Duration.ofSeconds(7))
                .phaseTimeout(100, Duration.ofSeconds(3))
                .add("writer", INSTANT, n -> n.dependsOn("pool").phase(100).timeout(Duration.ofSeconds(2)))
                .add("reader", INSTANT, n -> n.dependsOn("pool"))
                .add("pool", INSTANT)
                .build();

        assertThat(plan.phases()).containsExactly(100, 0);
        assertThat(plan.phaseTimeout(100)).isEqualTo(Duration.ofSeconds(3));
        assertThat(plan.phaseTimeout(0)).isEqualTo(Duration.ofSeconds(7));
        assertThat(plan.resources()).extracting(PlannedResource::name).containsExactly("writer", "reader", "pool");
        PlannedResource writer = plan.resource("writer").orElseThrow();
        assertThat(writer.phase()).isEqualTo(100);
        assertThat(writer.timeout()).contains(Duration.ofSeconds(2));
        assertThat(writer.resource()).isSameAs(INSTANT);
        PlannedResource pool = plan.resource("pool").orElseThrow();
        assertThat(pool.dependents()).containsExactlyInAnyOrder("writer", "reader");
        assertThat(pool.dependsOn()).isEmpty();
        assertThat(pool.timeout()).isEmpty();
        assertThat(plan.resource("nope")).isEmpty();
        assertThat(DropPlan.builder().add("a", INSTANT).build().phaseTimeout(0))
                .isEqualTo(DropPlan.DEFAULT_PHASE_TIMEOUT);
    }

    @Test
    void aChainOfOneHundredThousandResourcesValidatesAndDropsWithoutOverflowingTheStack() {
        int length = 100_000;
        DropPlan.Builder builder = DropPlan.builder();
        for (int i = 0; i < length; i++) {
            String next = "r" + (i + 1);
            if (i + 1 < length) {
                builder.add("r" + i, INSTANT, n -> n.dependsOn(next));
            }
            else {
                builder.add("r" + i, INSTANT);
            }
        }
        DropPlan plan = builder.build();

        DropReport report = plan.execute().orTimeout(60, TimeUnit.SECONDS).join();

        assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(length);
        assertThat(report.records().get(0).name()).isEqualTo("r0");
        assertThat(report.records().get(length - 1).name()).isEqualTo("r" + (length - 1));
        assertThat(report.criticalPathResources()).hasSize(length);
    }

    @Test
    void aCycleClosingAChainOfOneHundredThousandResourcesIsFoundWithoutOverflowingTheStack() {
        int length = 100_000;
        DropPlan.Builder builder = DropPlan.builder();
        for (int i = 0; i < length; i++) {
            String next = "r" + ((i + 1) % length);
            builder.add("r" + i, INSTANT, n -> n.dependsOn(next));
        }

        assertThatExceptionOfType(DependencyCycleException.class).isThrownBy(builder::build)
                .satisfies(ex -> assertThat(ex.cycle()).hasSize(length + 1).startsWith("r0", "r1")
                        .endsWith("r" + (length - 1), "r0"));
    }

    @Test
    void problemsOfOneKindAreListedTogether() {
        DropPlan.Builder builder = DropPlan.builder();
        for (String name : Arrays.asList("a", "b", "c")) {
            builder.add(name, INSTANT, n -> n.dependsOn(name + "-missing"));
        }

        assertThatExceptionOfType(AsyncDropException.class).isThrownBy(builder::build)
                .withMessageContaining("'a' depends on 'a-missing'")
                .withMessageContaining("'b' depends on 'b-missing'")
                .withMessageContaining("'c' depends on 'c-missing'");
    }
}
