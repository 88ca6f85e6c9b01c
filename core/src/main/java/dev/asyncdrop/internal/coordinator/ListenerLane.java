package dev.asyncdrop.internal.coordinator;

import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.internal.SafeLog;

/**
 * The calls to one listener of a plan: a queue of events, delivered one at a time, in the order they were posted, by
 * a task on the shared drop threads that runs while the queue has events. Posting never waits for the listener, so a
 * listener that blocks holds up only its own later calls: not the drops, not the deadlines, not the other listeners.
 * A listener that throws is logged and ignored, whatever it throws, errors such as a failed assertion included, and
 * however badly its failure or its own {@code toString()} renders: the lane goes on with the next event, and every
 * event counts as heard once delivered, so nothing that waits for the listeners waits for a lane that died.
 * Thread-safe: events are posted from any thread.
 */
final class ListenerLane implements Runnable {

    // The composite's name: it is what users and tests know this log by.
    private static final System.Logger LOGGER = System.getLogger(DropListeners.class.getName());

    private final DropListener listener;

    private final int index;

    private final Queue<ListenerEvent> events = new ConcurrentLinkedQueue<>();

    /** Whether a task is delivering, or about to: at most one is, which keeps the calls in order. */
    private final AtomicBoolean delivering = new AtomicBoolean();

    /** The callback the listener is in, if it is in one, and since when: to name a listener that holds a phase. */
    private volatile @Nullable String callback;

    private volatile long callbackStartNanos;

    ListenerLane(DropListener listener, int index) {
        this.listener = listener;
        this.index = index;
    }

    /** @return the lane's place among the plan's listeners */
    int index() {
        return this.index;
    }

    /**
     * Queues an event and makes sure a task delivers it.
     * @param event the event
     */
    void post(ListenerEvent event) {
        this.events.offer(event);
        if (!this.delivering.get() && this.delivering.compareAndSet(false, true)) {
            try {
                DropThreads.pool().execute(this);
            }
            catch (Throwable ex) {
                // No thread to deliver on (out of memory for one, say): the event stays queued for the next post,
                // and the poster, a drop or a deadline, goes on; a phase's grace bounds the wait for its listeners.
                this.delivering.set(false);
                SafeLog.log(LOGGER, Level.WARNING, "Could not start delivering to drop listener "
                        + SafeLog.describe(this.listener) + "; its events wait for the next one", ex);
            }
        }
    }

    @Override
    public void run() {
        for (;;) {
            ListenerEvent event;
            while ((event = this.events.poll()) != null) {
                try {
                    deliver(event);
                }
                catch (Throwable ex) {
                    // deliver() contains the listener; this is the last resort that keeps the lane alive.
                }
            }
            this.delivering.set(false);
            // An event posted after the last poll but before the flag was cleared found it set and left it to us.
            if (this.events.isEmpty() || !this.delivering.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void deliver(ListenerEvent event) {
        String name = event.callback();
        this.callbackStartNanos = System.nanoTime();
        this.callback = name;
        try {
            event.deliverTo(this.listener);
        }
        catch (Throwable ex) {
            SafeLog.log(LOGGER, Level.WARNING, "Drop listener " + SafeLog.describe(this.listener) + " threw from "
                    + name + "; ignoring it", ex);
        }
        finally {
            this.callback = null;
            try {
                event.heardBy(this);
            }
            catch (Throwable ex) {
                SafeLog.log(LOGGER, Level.WARNING, "Could not count " + name + " as heard by drop listener "
                        + SafeLog.describe(this.listener), ex);
            }
        }
    }

    /** @return what the listener is doing, for a warning that a phase did not wait for it */
    String describe() {
        String current = this.callback;
        if (current == null) {
            return "drop listener " + SafeLog.describe(this.listener) + " has not been called yet";
        }
        long millis = (System.nanoTime() - this.callbackStartNanos) / 1_000_000;
        return "drop listener " + SafeLog.describe(this.listener) + " has been in " + current + " for " + millis
                + " ms";
    }

    /** Something a listener hears. Immutable; one instance is posted to every lane. */
    interface ListenerEvent {

        /** @return the name of the callback, for the log */
        String callback();

        /**
         * Calls the listener.
         * @param listener the listener
         */
        void deliverTo(DropListener listener);

        /**
         * Called once the lane has delivered the event, whether the listener returned or threw.
         * @param lane the lane
         */
        default void heardBy(ListenerLane lane) {
        }
    }
}
