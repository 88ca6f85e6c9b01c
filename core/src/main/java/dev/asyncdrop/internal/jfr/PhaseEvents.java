package dev.asyncdrop.internal.jfr;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;

/**
 * The JDK Flight Recorder events of one run of one phase: a {@code dev.asyncdrop.DropPhase} event for the phase and
 * a {@code dev.asyncdrop.Drop} event for each of its resources. The coordinator calls it directly, apart from its
 * listeners: committing an event neither blocks nor calls application code. When the flight recorder was never
 * started, no recording wants these events, or the runtime has no {@code jdk.jfr} module, the run gets an instance
 * that does nothing.
 * <p>
 * A drop's event is begun by the worker that starts the drop and committed by the thread that finishes it; the
 * coordinator's compare-and-set on the drop's state orders the two. Thread-safe in that sense.
 */
public abstract class PhaseEvents {

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private static final PhaseEvents NONE = new PhaseEvents() {

        @Override
        public void dropStarting(int local) {
        }

        @Override
        public void dropFinished(int local, String name, DropOutcome outcome, @Nullable Throwable failure) {
        }

        @Override
        public void dropSkipped(String name) {
        }

        @Override
        public void phaseFinished(DropOutcome outcome) {
        }
    };

    PhaseEvents() {
    }

    /**
     * Begins the events of a phase that starts now.
     * @param phase the phase
     * @param resources how many resources it drops; each is known by its index, from 0
     * @param timeout the phase's timeout
     * @return the events of the phase, which do nothing when no recording wants them
     */
    public static PhaseEvents begin(int phase, int resources, Duration timeout) {
        // The event classes are only touched when the module exists, so a runtime without it never loads them.
        return AVAILABLE ? RecordedPhaseEvents.beginIfRecorded(phase, resources, timeout, NONE) : NONE;
    }

    /**
     * Sets up the event types with a running flight recorder ahead of time, so that the first phase, which may run
     * during a shutdown, does not pay for it (some milliseconds). Does nothing when the recorder was never started.
     */
    public static void prepare() {
        if (AVAILABLE) {
            RecordedPhaseEvents.registerTypes();
        }
    }

    /**
     * A drop is about to start; called before the drop's state becomes running, so that whoever finishes it sees
     * the event.
     * @param local the resource's index in the phase
     */
    public abstract void dropStarting(int local);

    /**
     * A drop that started has finished: commits its event.
     * @param local the resource's index in the phase
     * @param name the resource's name
     * @param outcome how it ended
     * @param failure its failure, if it failed
     */
    public abstract void dropFinished(int local, String name, DropOutcome outcome, @Nullable Throwable failure);

    /**
     * A drop never started: commits an event without duration.
     * @param name the resource's name
     */
    public abstract void dropSkipped(String name);

    /**
     * The phase has ended: commits its event.
     * @param outcome the phase's outcome
     */
    public abstract void phaseFinished(DropOutcome outcome);
}
