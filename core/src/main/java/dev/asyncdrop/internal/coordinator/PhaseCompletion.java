package dev.asyncdrop.internal.coordinator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The end of one {@link PhaseRun}: once every resource of the phase has finished, the phase's future completes as
 * soon as every listener has heard of it, so that a caller who waited for the phase finds its listeners' work done
 * (metrics recorded, say); but no later than {@link #LISTENER_GRACE_NANOS} after the phase's deadline, so that a
 * listener that blocks cannot hold a shutdown. The grace is counted from the later of the deadline and the end of
 * the phase's drops, so listeners always get the whole grace after the drops finished, even when the drops took
 * up to the deadline and beyond. Thread-safe: the phase's future completes exactly once, whichever
 * comes first.
 */
final class PhaseCompletion {

    /**
     * How long past its deadline a phase waits for its listeners, which the deadline's own outcomes reach only as it
     * passes: they hear them in microseconds, unless one blocks, which then holds the phase this long and no longer.
     */
    static final long LISTENER_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final CompletableFuture<FinishedPhase> future;

    private final DropListeners listeners;

    private final int phase;

    private final AtomicBoolean settled = new AtomicBoolean();

    private volatile @Nullable FinishedPhase finished;

    /** When the last resource finished: written before {@link #finished} is published. */
    private long finishedNanos;

    private volatile DropListeners.@Nullable PhaseFinished phaseEvent;

    private volatile @Nullable ScheduledFuture<?> deadline;

    private final AtomicReference<@Nullable ScheduledFuture<?>> grace = new AtomicReference<>();

    PhaseCompletion(CompletableFuture<FinishedPhase> future, DropListeners listeners, int phase) {
        this.future = future;
        this.listeners = listeners;
        this.phase = phase;
    }

    /** @param timer the phase's deadline, cancelled once the phase has completed */
    void deadline(ScheduledFuture<?> timer) {
        this.deadline = timer;
        if (this.settled.get()) {
            timer.cancel(false);
        }
    }

    /** @return whether every resource of the phase has finished */
    boolean isFinished() {
        return this.finished != null;
    }

    /**
     * Every resource of the phase has finished: tells the listeners, and completes the phase once they have heard.
     * @param result the phase's records
     * @param duration how long the phase took
     */
    void finished(FinishedPhase result, Duration duration) {
        this.finishedNanos = System.nanoTime();
        // Published before the listeners hear of it, so that whoever settles the phase finds it.
        this.finished = result;
        if (this.listeners.isEmpty()) {
            settle(false);
            return;
        }
        // Settled off the lane of the last listener to hear: what the phase's future runs next (the next phase, a
        // caller's callbacks) must not delay that listener's later calls.
        this.phaseEvent = this.listeners.onPhaseFinished(this.phase, duration, result.summary().outcome(),
                this::settleOffTheLane);
    }

    private void settleOffTheLane() {
        try {
            DropThreads.pool().execute(() -> settle(false));
        }
        catch (Throwable ex) {
            // No thread to spare: the last listener's later calls wait for the phase's callbacks, the phase does not.
            settle(false);
        }
    }

    /**
     * The deadline has passed and every resource has finished: the phase completes once its listeners have heard
     * it, or when the grace has passed. Called by the deadline, by the last resource to finish, or both.
     */
    void graceForListeners() {
        if (this.settled.get() || this.grace.get() != null) {
            return;
        }
        ScheduledFuture<?> timer = DropThreads.schedule(() -> settle(true), LISTENER_GRACE_NANOS);
        if (!this.grace.compareAndSet(null, timer) || this.settled.get()) {
            timer.cancel(false);
        }
    }

    /**
     * Completes the phase's future, unless it is completed already or the phase has not finished.
     * @param late whether the listeners are not waited for any longer, which is worth a warning if one has not heard
     */
    void settle(boolean late) {
        FinishedPhase result = this.finished;
        if (result == null || !this.settled.compareAndSet(false, true)) {
            return;
        }
        cancel(this.deadline);
        cancel(this.grace.get());
        DropListeners.PhaseFinished event = this.phaseEvent;
        if (late && event != null) {
            event.warnIfNotHeard(Duration.ofNanos(System.nanoTime() - this.finishedNanos));
        }
        this.future.complete(result);
    }

    private static void cancel(@Nullable ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
