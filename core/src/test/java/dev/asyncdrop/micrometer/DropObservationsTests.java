package dev.asyncdrop.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncdrop.coordinator.DropPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class DropObservationsTests {

    private final ObservationRegistry registry = ObservationRegistry.create();

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void recordStoppedObservations() {
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
    }

    @Test
    void eachDropIsAnObservationInsideTheObservationOfItsPhase() throws Exception {
        DropPlan plan = DropPlan.builder()
                .add("writer", () -> CompletableFuture.completedFuture(null), (n) -> n.phase(100))
                .add("pool", () -> CompletableFuture.completedFuture(null))
                .listener(new DropObservations(registry))
                .build();

        plan.execute().get(30, TimeUnit.SECONDS);

        Observation.Context writer = stoppedNamed(DropObservations.RESOURCE, "drop writer");
        assertThat(writer.getHighCardinalityKeyValue("resource").getValue()).isEqualTo("writer");
        assertThat(writer.getLowCardinalityKeyValue("phase").getValue()).isEqualTo("100");
        assertThat(writer.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(writer.getParentObservation()).isNotNull();
        assertThat(writer.getParentObservation().getContextView().getName()).isEqualTo(DropObservations.PHASE);
        Observation.Context phase = stoppedNamed(DropObservations.PHASE, "drop phase 100");
        assertThat(phase.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success");
        assertThat(stoppedNamed(DropObservations.PHASE, "drop phase 0")).isNotNull();
    }

    @Test
    void aFailedDropIsTheErrorOfItsObservationAndATimeoutItsOutcome() throws Exception {
        DropPlan plan = DropPlan.builder()
                .add("broken", () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")))
                .add("hanging", CompletableFuture::new, (n) -> n.timeout(Duration.ofMillis(20)))
                .listener(new DropObservations(registry))
                .build();

        plan.execute().get(30, TimeUnit.SECONDS);

        Observation.Context broken = stoppedNamed(DropObservations.RESOURCE, "drop broken");
        assertThat(broken.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("failure");
        assertThat(broken.getError()).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
        Observation.Context hanging = stoppedNamed(DropObservations.RESOURCE, "drop hanging");
        assertThat(hanging.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("timeout");
        assertThat(stoppedNamed(DropObservations.PHASE, "drop phase 0").getLowCardinalityKeyValue("outcome")
                .getValue()).isEqualTo("timeout");
    }

    @Test
    void aMissingRegistryIsRejectedByName() {
        assertThatNullPointerException().isThrownBy(() -> new DropObservations(null))
                .withMessage("'registry' must not be null");
    }

    private Observation.Context stoppedNamed(String name, String contextualName) {
        return stopped.stream()
                .filter((context) -> name.equals(context.getName())
                        && contextualName.equals(context.getContextualName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No stopped observation " + name + " '" + contextualName
                        + "' among " + stopped));
    }
}
