package dev.asyncdrop.internal.coordinator;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;

/**
 * The listeners of a plan as one: each call reaches every listener in the order they were added, and a listener
 * that throws is logged and skipped. Listeners are caught whatever they throw, errors such as a failed assertion
 * included: a listener that escaped here would kill the worker or the timer task and leave the phase waiting for its
 * deadline. Immutable and thread-safe.
 */
public final class DropListeners implements DropListener {

    private static final System.Logger LOGGER = System.getLogger(DropListeners.class.getName());

    private final DropListener[] listeners;

    /** @param listeners the listeners, in the order they hear */
    public DropListeners(List<DropListener> listeners) {
        this.listeners = listeners.toArray(new DropListener[0]);
    }

    /** @return whether there is no listener, so that nothing need be prepared for one */
    public boolean isEmpty() {
        return this.listeners.length == 0;
    }

    @Override
    public void onDropStarted(String name, int phase) {
        each("onDropStarted", listener -> listener.onDropStarted(name, phase));
    }

    @Override
    public void onDropFinished(DropRecord record) {
        each("onDropFinished", listener -> listener.onDropFinished(record));
    }

    @Override
    public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
        each("onPhaseFinished", listener -> listener.onPhaseFinished(phase, duration, outcome));
    }

    private void each(String callback, Consumer<DropListener> call) {
        for (DropListener listener : this.listeners) {
            try {
                call.accept(listener);
            }
            catch (Throwable ex) {
                LOGGER.log(Level.WARNING, "Drop listener " + listener + " threw from " + callback + "; ignoring it",
                        ex);
            }
        }
    }
}
