package dev.asyncdrop.coordinator;

import java.time.Duration;

/**
 * Hears about a {@link DropPlan}'s execution as it happens, for logging and metrics. Every method does nothing by
 * default. Callbacks may arrive concurrently from several threads, so implementations must be thread-safe; they
 * should return quickly. A listener that throws is logged and ignored: it never disturbs the drops.
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
     * Called when the drop of a resource has finished, failed, timed out or was skipped, before any resource it
     * uses starts dropping.
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
