package dev.asyncdrop.micrometer;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.internal.GuardDropListeners;
import dev.asyncdrop.internal.GuardDropTracer;

/**
 * Instruments drops once, as Micrometer {@link Observation}s: every drop is a {@value #DROP} observation, and each
 * phase of a plan a {@value #PHASE} observation, the parent of its drops. What becomes of them is up to the
 * registry's handlers: a meter handler (such as Micrometer's {@code DefaultMeterObservationHandler}, which Spring
 * Boot registers) makes the {@value #DROP} and {@value #PHASE} timers of {@link AsyncDropMetrics} from them, one
 * sample per drop, and a tracing handler makes a span per drop, so a shutdown shows as a trace.
 * <p>
 * From its creation until {@link #close()} it observes the drop of every {@code AsyncDropGuard} in the JVM; add it
 * to a {@link DropPlan} as a {@link DropListener} to observe the plan's drops too:
 *
 * <pre>{@code
 * DropObservations observations = new DropObservations(observationRegistry);
 * DropPlan plan = DropPlan.builder().add("pool", pool).listener(observations).build();
 * // ... and once nothing is left to observe:
 * observations.close();
 * }</pre>
 *
 * Key values and names come from a {@link DropObservationConvention} and a {@link DropPhaseObservationConvention}
 * (by default {@link DefaultDropObservationConvention} and {@link DefaultDropPhaseObservationConvention}; see
 * {@link DropObservationDocumentation}); a global convention registered with the registry replaces a default one.
 * A failed drop is the error of its observation; a drop skipped at its phase's deadline is an observation that
 * starts and stops at once. Use either this or the drop timers of {@link AsyncDropMetrics} (see
 * {@link AsyncDropMetrics#forObservedDrops(Iterable)}), not both, or every drop is timed twice.
 * <p>
 * The JVM-wide guard drop hook holds this object weakly: keep a reference to it for as long as it should observe
 * (a Spring bean is kept, and so is the listener of a plan that is kept); once it is garbage collected, guard drops
 * are no longer observed. Thread-safe. Meant for one execution of a plan at a time: two concurrent executions of
 * plans with the same names would share their observations.
 *
 * @since 0.1.0
 */
public final class DropObservations implements DropListener, AutoCloseable {

    /** The name of the observation of a drop, and of the timer made from it. */
    public static final String DROP = AsyncDropMetrics.DROP;

    /** The name of the observation of a phase, and of the timer made from it. */
    public static final String PHASE = AsyncDropMetrics.PHASE;

    /** Marks a drop whose finish arrived before its start: the start, when it comes, is ignored. */
    private static final ObservedDrop FINISHED_FIRST = new ObservedDrop(Observation.NOOP,
            DropContext.ofPlanned("finished before its start", 0));

    private final ObservationRegistry registry;

    private final @Nullable DropObservationConvention dropConvention;

    private final @Nullable DropPhaseObservationConvention phaseConvention;

    private final ConcurrentMap<Integer, ObservedPhase> phases = new ConcurrentHashMap<>();

    /** The drops started and not finished, and {@link #FINISHED_FIRST} for those finished before their start. */
    private final ConcurrentMap<String, ObservedDrop> drops = new ConcurrentHashMap<>();

    private final GuardDropTracer guardTracer;

    /**
     * Observes drops in a registry with the default conventions.
     * @param registry the registry
     */
    public DropObservations(ObservationRegistry registry) {
        this(registry, null, null);
    }

    /**
     * Observes drops in a registry with conventions of the caller's.
     * @param registry the registry
     * @param dropConvention the convention of drops, or {@code null} for the default
     * @param phaseConvention the convention of phases, or {@code null} for the default
     */
    public DropObservations(ObservationRegistry registry, @Nullable DropObservationConvention dropConvention,
            @Nullable DropPhaseObservationConvention phaseConvention) {
        this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
        this.dropConvention = dropConvention;
        this.phaseConvention = phaseConvention;
        this.guardTracer = new GuardTracer(this);
        GuardDropListeners.addTracer(this.guardTracer);
    }

    /**
     * Starts the observation of a drop, unless the drop has already finished: a start that arrives after its finish
     * (from a caller that does not keep the order a plan keeps) is ignored, so no observation is left running.
     */
    @Override
    public void onDropStarted(String name, int phase) {
        drops.compute(name, (key, current) -> (current == FINISHED_FIRST) ? null
                : startDrop(DropContext.ofPlanned(key, phase), phaseObservation(phase)));
    }

    @Override
    public void onDropFinished(DropRecord record) {
        ObservedDrop[] started = new ObservedDrop[1];
        drops.compute(record.name(), (key, current) -> {
            if (current != null && current != FINISHED_FIRST) {
                started[0] = current;
                return null;
            }
            // A skipped drop never starts; any other drop's start is on its way and must then be ignored.
            return (record.outcome() == DropOutcome.SKIPPED) ? null : FINISHED_FIRST;
        });
        ObservedDrop drop = started[0];
        if (drop == null) {
            // It never started, or its start has not arrived: its observation lasts no time, like a skip's record.
            drop = startDrop(DropContext.ofPlanned(record.name(), record.phase()), phaseObservation(record.phase()));
        }
        drop.stop(record.outcome(), record.failure().orElse(null));
    }

    @Override
    public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
        ObservedPhase observed = phases.remove(phase);
        if (observed != null) {
            observed.context().setOutcome(outcome);
            observed.observation().stop();
        }
    }

    /** Stops observing guard drops. Closing twice does nothing. */
    @Override
    public void close() {
        GuardDropListeners.removeTracer(guardTracer);
    }

    private Observation phaseObservation(int phase) {
        // A phase has no start event of its own: its first drop starts it.
        return phases.computeIfAbsent(phase, (key) -> {
            DropPhaseContext context = new DropPhaseContext(key);
            Observation observation = DropObservationDocumentation.DROP_PHASE.observation(phaseConvention,
                    DefaultDropPhaseObservationConvention.getInstance(), () -> context, registry);
            return new ObservedPhase(observation.start(), context);
        }).observation();
    }

    private ObservedDrop startDrop(DropContext context, @Nullable Observation parent) {
        Observation observation = DropObservationDocumentation.DROP.observation(dropConvention,
                DefaultDropObservationConvention.getInstance(), () -> context, registry);
        if (parent != null) {
            observation.parentObservation(parent);
        }
        return new ObservedDrop(observation.start(), context);
    }

    /**
     * A drop's observation with the context it was given: the context is kept apart, since an observation that the
     * registry turned off (a no-op) has a context of its own.
     */
    private record ObservedDrop(Observation observation, DropContext context) {

        void stop(DropOutcome outcome, @Nullable Throwable failure) {
            context.setOutcome(outcome);
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        }
    }

    private record ObservedPhase(Observation observation, DropPhaseContext context) {
    }

    /**
     * Starts an observation per guard drop. It holds its observations weakly, since guard drop tracers live in a
     * static registry; once they are collected it removes itself.
     */
    private static final class GuardTracer implements GuardDropTracer {

        private final WeakReference<DropObservations> observations;

        GuardTracer(DropObservations observations) {
            this.observations = new WeakReference<>(observations);
        }

        @Override
        public Consumer<@Nullable Throwable> started(Class<?> resourceType) {
            DropObservations current = observations.get();
            if (current == null) {
                GuardDropListeners.removeTracer(this);
                return (failure) -> { };
            }
            // The current observation, if any (a request's, say), becomes the parent.
            ObservedDrop drop = current.startDrop(DropContext.ofGuard(resourceType), null);
            return (failure) -> drop.stop((failure == null) ? DropOutcome.DROPPED : DropOutcome.FAILED, failure);
        }
    }
}
