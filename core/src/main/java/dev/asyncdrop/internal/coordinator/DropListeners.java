package dev.asyncdrop.internal.coordinator;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.internal.SafeLog;

/**
 * The listeners of a plan, each on its own {@link ListenerLane}: an event is posted to every lane and the caller
 * goes on at once, so no listener runs on a thread that drops a resource or keeps a deadline. Each listener hears
 * every event in the order the events were posted, which follows the schedule (a resource's start before its
 * finish, a resource's finish before the start of any resource it uses, a phase's resources before its end, phases
 * highest first); listeners do not wait for each other. Immutable and thread-safe; the lanes live as long as the
 * plan, so a listener's calls stay in order across the plan's phases.
 */
public final class DropListeners {

    private static final System.Logger LOGGER = System.getLogger(DropListeners.class.getName());

    private final ListenerLane[] lanes;

    /** @param listeners the listeners */
    public DropListeners(List<DropListener> listeners) {
        this.lanes = new ListenerLane[listeners.size()];
        for (int i = 0; i < this.lanes.length; i++) {
            this.lanes[i] = new ListenerLane(listeners.get(i), i);
        }
    }

    /** @return whether there is no listener, so that nothing need be prepared for one */
    public boolean isEmpty() {
        return this.lanes.length == 0;
    }

    /**
     * Tells every listener that a drop started.
     * @param name the resource's name
     * @param phase its phase
     */
    public void onDropStarted(String name, int phase) {
        post(new DropStarted(name, phase));
    }

    /**
     * Tells every listener that a drop finished.
     * @param record what happened
     */
    public void onDropFinished(DropRecord record) {
        post(new DropFinished(record));
    }

    /**
     * Tells every listener that a phase completed.
     * @param phase the phase
     * @param duration how long it took
     * @param outcome its outcome
     * @param allHeard run once every listener has heard it, and so every earlier event, on the thread of the last
     * lane to deliver it
     * @return the event, to ask which listeners have not heard it yet
     */
    public PhaseFinished onPhaseFinished(int phase, Duration duration, DropOutcome outcome, Runnable allHeard) {
        PhaseFinished event = new PhaseFinished(phase, duration, outcome, this.lanes.length, allHeard);
        post(event);
        return event;
    }

    private void post(ListenerLane.ListenerEvent event) {
        for (ListenerLane lane : this.lanes) {
            lane.post(event);
        }
    }

    private record DropStarted(String name, int phase) implements ListenerLane.ListenerEvent {

        @Override
        public String callback() {
            return "onDropStarted";
        }

        @Override
        public void deliverTo(DropListener listener) {
            listener.onDropStarted(this.name, this.phase);
        }
    }

    private record DropFinished(DropRecord record) implements ListenerLane.ListenerEvent {

        @Override
        public String callback() {
            return "onDropFinished";
        }

        @Override
        public void deliverTo(DropListener listener) {
            listener.onDropFinished(this.record);
        }
    }

    /** The end of a phase, which knows which lanes have delivered it. Thread-safe. */
    public final class PhaseFinished implements ListenerLane.ListenerEvent {

        private final int phase;

        private final Duration duration;

        private final DropOutcome outcome;

        private final AtomicIntegerArray heard;

        private final AtomicInteger notHeard;

        private final Runnable allHeard;

        PhaseFinished(int phase, Duration duration, DropOutcome outcome, int lanes, Runnable allHeard) {
            this.phase = phase;
            this.duration = duration;
            this.outcome = outcome;
            this.heard = new AtomicIntegerArray(lanes);
            this.notHeard = new AtomicInteger(lanes);
            this.allHeard = allHeard;
        }

        @Override
        public String callback() {
            return "onPhaseFinished";
        }

        @Override
        public void deliverTo(DropListener listener) {
            listener.onPhaseFinished(this.phase, this.duration, this.outcome);
        }

        @Override
        public void heardBy(ListenerLane lane) {
            if (this.heard.compareAndSet(lane.index(), 0, 1) && this.notHeard.decrementAndGet() == 0) {
                this.allHeard.run();
            }
        }

        /**
         * Warns about each listener that has not heard this event yet, when the phase completes without waiting
         * for it any longer.
         * @param afterDrops how long after the phase's drops finished the phase stopped waiting
         */
        public void warnIfNotHeard(Duration afterDrops) {
            StringJoiner behind = new StringJoiner("; ");
            for (ListenerLane lane : DropListeners.this.lanes) {
                if (this.heard.get(lane.index()) == 0) {
                    behind.add(lane.describe());
                }
            }
            if (behind.length() > 0) {
                SafeLog.log(LOGGER, Level.WARNING, "Phase " + this.phase + " completed without waiting any longer for "
                        + "its listeners, " + afterDrops.toMillis() + " ms after its drops finished and past its "
                        + "deadline: " + behind + ". A listener must return quickly: its later calls wait for it, "
                        + "though nothing else does.");
            }
        }
    }
}
