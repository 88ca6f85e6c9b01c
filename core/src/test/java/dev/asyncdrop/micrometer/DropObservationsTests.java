package dev.asyncdrop.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LogCapture;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class DropObservationsTests {

    @RegisterExtension
    final LogCapture listenerLogs = LogCapture.ofLoggers("dev.asyncdrop.internal.coordinator.DropListeners");

    private final ObservationRegistry registry = ObservationRegistry.create();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    private final List<DropObservations> created = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordStoppedObservationsAndMeters() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    }

    @AfterEach
    void closeObservations() {
        created.forEach(DropObservations::close);
    }

    @Test
    void oneRuntimeGuardDropIsOneObservationAndOneTimerSampleTaggedWithItsTypeAndNoPhase() {
        observations();

        AsyncDropGuard.of(new ObservedSession()).close();

        Observation.Context session = stoppedNamed(DropObservations.DROP, "drop ObservedSession");
        assertThat(session).isInstanceOf(DropContext.class);
        assertThat(((DropContext) session).getResourceType()).isEqualTo(ObservedSession.class);
        assertThat(meters.get("async.drop").tags("resource", "ObservedSession", "phase", "none", "outcome", "success",
                "exception", "none").timer().count()).isEqualTo(1);
        // The meter handler's long task timer of drops in progress, and nothing else, shares the name.
        assertThat(meters.getMeters()).extracting((meter) -> meter.getId().getName())
                .allSatisfy((name) -> assertThat(name).isIn("async.drop", "async.drop.active"));
        assertThat(meters.find("async.drop").timers()).hasSize(1);
    }

    @Test
    void eachDropOfAPlanIsAnObservationInsideTheObservationOfItsPhase() throws Exception {
        DropPlan plan = DropPlan.builder()
                .add("writer", () -> CompletableFuture.completedFuture(null), (n) -> n.phase(100))
                .add("pool", () -> CompletableFuture.completedFuture(null))
                .listener(observations())
                .build();

        plan.execute().get(30, TimeUnit.SECONDS);

        Observation.Context writer = stoppedNamed(DropObservations.DROP, "drop writer");
        assertThat(writer.getLowCardinalityKeyValue("resource").getValue()).isEqualTo("writer");
        assertThat(writer.getLowCardinalityKeyValue("phase").getValue()).isEqualTo("100");
        assertThat(writer.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(writer.getLowCardinalityKeyValue("exception").getValue()).isEqualTo("none");
        assertThat(writer.getParentObservation()).isNotNull();
        assertThat(writer.getParentObservation().getContextView().getName()).isEqualTo(DropObservations.PHASE);
        Observation.Context phase = stoppedNamed(DropObservations.PHASE, "drop phase 100");
        assertThat(phase.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(stoppedNamed(DropObservations.PHASE, "drop phase 0")).isNotNull();
        assertThat(meters.get("async.drop").tags("resource", "writer", "phase", "100").timer().count()).isEqualTo(1);
        assertThat(meters.get("async.drop.phase").tags("phase", "100", "outcome", "success").timer().count())
                .isEqualTo(1);
        assertThat(meters.find("async.drop.plan.resource").meters()).isEmpty();
        assertThat(meters.find("async.drop.plan.phase").meters()).isEmpty();
    }

    @Test
    void aFailedDropIsTheErrorOfItsObservationATimeoutAndASkipTheirOutcomes() throws Exception {
        DropPlan plan = DropPlan.builder()
                .phaseTimeout(0, Duration.ofMillis(200))
                .add("broken", () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")))
                .add("hanging", CompletableFuture::new, (n) -> n.dependsOn("waiting"))
                .add("waiting", () -> CompletableFuture.completedFuture(null))
                .listener(observations())
                .build();

        plan.execute().get(30, TimeUnit.SECONDS);

        Observation.Context broken = stoppedNamed(DropObservations.DROP, "drop broken");
        assertThat(broken.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
        assertThat(broken.getLowCardinalityKeyValue("exception").getValue()).isEqualTo("IllegalStateException");
        assertThat(broken.getError()).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        assertThat(stoppedNamed(DropObservations.DROP, "drop hanging").getLowCardinalityKeyValue("outcome")
                .getValue()).isEqualTo("timeout");
        assertThat(stoppedNamed(DropObservations.DROP, "drop waiting").getLowCardinalityKeyValue("outcome")
                .getValue()).isEqualTo("skipped");
        assertThat(stoppedNamed(DropObservations.PHASE, "drop phase 0").getLowCardinalityKeyValue("outcome")
                .getValue()).isEqualTo("timeout");
        assertThat(meters.get("async.drop").tags("resource", "waiting", "outcome", "skipped").timer().count())
                .isEqualTo(1);
    }

    @Test
    void aConventionOfTheUsersReplacesTheNamesAndKeyValues() throws Exception {
        DropObservationConvention convention = new DefaultDropObservationConvention() {
            @Override
            public String getName() {
                return "shutdown.step";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(DropContext context) {
                return KeyValues.of(KeyValue.of("bean", context.getResource()));
            }
        };
        DropObservations custom = new DropObservations(registry, convention, null);
        created.add(custom);
        DropPlan plan = DropPlan.builder()
                .add("pool", () -> CompletableFuture.completedFuture(null))
                .listener(custom)
                .build();

        plan.execute().get(30, TimeUnit.SECONDS);

        assertThat(meters.get("shutdown.step").tags("bean", "pool").timer().count()).isEqualTo(1);
        assertThat(meters.find("async.drop").timers()).isEmpty();
        assertThat(meters.get("async.drop.phase").timer().count()).isEqualTo(1);
    }

    @Test
    void afterCloseGuardDropsAreNoLongerObserved() {
        observations().close();

        AsyncDropGuard.of(new ObservedSession()).close();

        assertThat(meters.find("async.drop").meters()).isEmpty();
    }

    @Test
    void theDocumentationNamesEveryKeyTheDefaultConventionsUse() {
        DropContext context = DropContext.ofPlanned("pool", 0);
        context.setOutcome(DropOutcome.DROPPED);
        String[] documented = Stream.of(DropObservationDocumentation.DROP.getLowCardinalityKeyNames())
                .map(KeyName::asString)
                .toArray(String[]::new);
        assertThat(DefaultDropObservationConvention.getInstance().getLowCardinalityKeyValues(context).stream()
                .map(KeyValue::getKey)).containsExactlyInAnyOrder(documented);
        DropPhaseContext phase = new DropPhaseContext(0);
        phase.setOutcome(DropOutcome.DROPPED);
        assertThat(DefaultDropPhaseObservationConvention.getInstance().getLowCardinalityKeyValues(phase).stream()
                .map(KeyValue::getKey)).containsExactlyInAnyOrder("phase", "outcome");
        assertThat(DropObservationDocumentation.DROP.getDefaultConvention())
                .isEqualTo(DefaultDropObservationConvention.class);
    }

    @Test
    void observationsTheRegistryTurnsOffAreLeftAloneQuietly() throws Exception {
        ObservationRegistry turnedOff = ObservationRegistry.create();
        turnedOff.observationConfig().observationHandler((context) -> true);
        turnedOff.observationConfig().observationPredicate((name, context) -> !name.startsWith("async.drop"));
        try (DropObservations observations = new DropObservations(turnedOff)) {
            DropPlan plan = DropPlan.builder()
                    .add("pool", () -> CompletableFuture.completedFuture(null))
                    .listener(observations)
                    .build();

            plan.execute().get(30, TimeUnit.SECONDS);
            AsyncDropGuard.of(new ObservedSession()).close();
            new DropObservations(ObservationRegistry.NOOP).close();
        }

        // A listener that throws is logged by the plan and ignored: nothing was.
        assertThat(listenerLogs.records()).isEmpty();
    }

    @Test
    void aStartThatArrivesAfterItsFinishIsIgnoredAndLeavesNoObservationRunning() {
        DropObservations observations = observations();
        DropRecord record = new DropRecord("late", 0, DropOutcome.TIMED_OUT, Duration.ZERO, Duration.ofMillis(5),
                null);

        observations.onDropFinished(record);
        observations.onDropStarted("late", 0);
        observations.onPhaseFinished(0, Duration.ofMillis(5), DropOutcome.TIMED_OUT);

        assertThat(stopped).filteredOn((context) -> DropObservations.DROP.equals(context.getName())).hasSize(1);
        assertThat(meters.get("async.drop").tags("resource", "late", "outcome", "timeout").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("async.drop.active").longTaskTimer().activeTasks()).isZero();
        assertThat(meters.get("async.drop.phase.active").longTaskTimer().activeTasks()).isZero();

        // The next execution of a plan with the same name is observed again.
        observations.onDropStarted("late", 0);
        observations.onDropFinished(new DropRecord("late", 0, DropOutcome.DROPPED, Duration.ZERO, Duration.ZERO,
                null));
        assertThat(meters.get("async.drop").tags("resource", "late", "outcome", "success").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("async.drop.active").longTaskTimer().activeTasks()).isZero();
    }

    @Test
    void aMissingRegistryIsRejectedByName() {
        assertThatNullPointerException().isThrownBy(() -> new DropObservations(null))
                .withMessage("'registry' must not be null");
    }

    private DropObservations observations() {
        DropObservations observations = new DropObservations(registry);
        created.add(observations);
        return observations;
    }

    private Observation.Context stoppedNamed(String name, String contextualName) {
        return stopped.stream()
                .filter((context) -> name.equals(context.getName())
                        && contextualName.equals(context.getContextualName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No stopped observation " + name + " '" + contextualName
                        + "' among " + stopped));
    }

    static final class ObservedSession implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
