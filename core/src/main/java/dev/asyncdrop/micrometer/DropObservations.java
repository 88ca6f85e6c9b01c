package dev.asyncdrop.micrometer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropRecord;

/**
 * Turns the execution of a {@link DropPlan} into Micrometer {@link Observation}s, so that a tracing backend shows a
 * shutdown as a trace: one {@value #PHASE} observation per phase, and inside it one {@value #RESOURCE} observation
 * per resource, from the start of its drop until it finished. Add it to a plan as a {@link DropListener}.
 * <p>
 * Key values: {@code phase} and {@code outcome} ({@code success}, {@code failure}, {@code timeout}) are low
 * cardinality; the resource's name is high cardinality ({@code resource}), so that a meter handler does not turn it
 * into a tag (the {@link AsyncDropMetrics} timers already carry it). A failed drop is reported as the error of its
 * observation. Skipped resources never started, so they have no observation.
 * <p>
 * Thread-safe. Meant for one execution of a plan at a time: two concurrent executions of the same plan would share
 * their observations.
 *
 * @since 0.1.0
 */
public final class DropObservations implements DropListener {

    /** The name of the observation of a phase. */
    public static final String PHASE = "async.drop.plan.phase";

    /** The name of the observation of one resource's drop. */
    public static final String RESOURCE = "async.drop.plan.resource";

    private final ObservationRegistry registry;

    private final ConcurrentMap<Integer, Observation> phases = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, Observation> drops = new ConcurrentHashMap<>();

    /**
     * Creates observations in a registry.
     * @param registry the registry
     */
    public DropObservations(ObservationRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
    }

    @Override
    public void onDropStarted(String name, int phase) {
        // A phase has no start event of its own: its first drop starts it.
        Observation phaseObservation = phases.computeIfAbsent(phase, (key) -> Observation
                .createNotStarted(PHASE, registry)
                .contextualName("drop phase " + key)
                .lowCardinalityKeyValue("phase", String.valueOf(key))
                .start());
        Observation drop = Observation.createNotStarted(RESOURCE, registry)
                .parentObservation(phaseObservation)
                .contextualName("drop " + name)
                .lowCardinalityKeyValue("phase", String.valueOf(phase))
                .highCardinalityKeyValue("resource", name)
                .start();
        drops.put(name, drop);
    }

    @Override
    public void onDropFinished(DropRecord record) {
        Observation drop = drops.remove(record.name());
        if (drop == null) {
            return;
        }
        drop.lowCardinalityKeyValue("outcome", TagValues.outcome(record.outcome()));
        record.failure().ifPresent(drop::error);
        drop.stop();
    }

    @Override
    public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
        Observation phaseObservation = phases.remove(phase);
        if (phaseObservation != null) {
            phaseObservation.lowCardinalityKeyValue("outcome", TagValues.outcome(outcome)).stop();
        }
    }
}
