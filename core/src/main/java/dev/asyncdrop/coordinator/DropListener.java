package dev.asyncdrop.coordinator;

import java.time.Duration;

/**
 * Hears about a {@link DropPlan}'s execution as it happens, for logging and metrics. Every method does nothing by
 * default. A listener that throws is logged and ignored: it never disturbs the drops.
 * <p>
 * <b>Threading.</b> Each listener of a plan has a lane of its own: the coordinator queues each event for it and goes
 * on at once, and a task on the coordinator's shared daemon threads makes the calls, one at a time, in the order of
 * the events: a resource's start before its finish, the finish of every resource that uses another before that one
 * starts, every resource of a phase before the phase's end, and phases highest first. A listener is therefore never
 * called on a thread that drops a resource or keeps a deadline, and its calls never overlap within one plan (a
 * listener added to several plans must be thread-safe). Calls come microseconds after the event, so a listener that
 * returns quickly hears the drops as they happen.
 * <p>
 * A listener that blocks delays only its own later calls: not the drops, not the timeouts, not the other listeners.
 * A phase's future completes once every listener has heard the phase's end, so that whoever waited for it finds the
 * listeners' work done; but a listener that has not heard it when the phase's deadline passes (plus a grace of 100
 * ms for the outcomes the deadline itself decides) is not waited for any longer, and a warning names it and the
 * callback it is in. Its calls still come, late and in order.
 *
 * @since 0.1.0
 */
public interface DropListener {

    /**
     * Called when the drop of a resource starts.
     * @param name the resource's name
     * @param phase its phase
     */
    default void onDropStarted(String name, int phase) {
    }

    /**
     * Called when the drop of a resource has finished, failed, timed out or was skipped; this listener hears it
     * before it hears the start of any resource that the finished one uses.
     * @param record what happened
     */
    default void onDropFinished(DropRecord record) {
    }

    /**
     * Called when a phase has completed.
     * @param phase the phase
     * @param duration how long the phase took
     * @param outcome {@link DropOutcome#DROPPED} when every resource of the phase dropped,
     * {@link DropOutcome#TIMED_OUT} when the phase's deadline passed or any resource timed out, otherwise
     * {@link DropOutcome#FAILED} when any resource failed
     */
    default void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
    }
}
