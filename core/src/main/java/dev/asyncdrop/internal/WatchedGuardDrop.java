package dev.asyncdrop.internal;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.GuardDropListener;
import dev.asyncdrop.internal.jfr.GuardDropEvents;

/**
 * One guard's drop while someone watches guard drops: the listeners, the tracers that heard its start, and the
 * flight recorder event begun with it. Created by the thread that starts the drop and ended once by the thread that
 * completes it.
 */
public final class WatchedGuardDrop {

    private final Class<?> resourceType;

    private final long startNanos;

    private final @Nullable Consumer<@Nullable Throwable>[] tracerEnds;

    // An Object, so that this class never names a flight recorder type: the runtime may lack the jdk.jfr module.
    private final @Nullable Object event;

    @SuppressWarnings("unchecked")
    WatchedGuardDrop(Class<?> resourceType, GuardDropTracer[] tracers, boolean recorded) {
        this.resourceType = resourceType;
        this.startNanos = System.nanoTime();
        this.tracerEnds = (Consumer<@Nullable Throwable>[]) new Consumer<?>[tracers.length];
        for (int i = 0; i < tracers.length; i++) {
            try {
                this.tracerEnds[i] = tracers[i].started(resourceType);
            }
            catch (Throwable ex) {
                // Like a listener, a tracer must not disturb the drop.
            }
        }
        this.event = recorded ? GuardDropEvents.begin() : null;
    }

    /**
     * Unwraps the failure of a guard's drop and, if the drop is watched, ends the watch with it. Call it before
     * completing the drop's outcome, so that whoever waits for the drop also sees it observed.
     * @param failure the failure as the resource's stage gave it, or {@code null} when the drop succeeded
     * @param watched the watch of the drop, or {@code null} when nobody watched guard drops as it started
     * @return the failure to complete the drop's outcome with, or {@code null}
     */
    public static @Nullable Throwable observed(@Nullable Throwable failure, @Nullable WatchedGuardDrop watched) {
        Throwable cause = Failures.unwrap(failure);
        if (watched != null) {
            watched.ended(cause);
        }
        return cause;
    }

    /**
     * The drop has ended: tells the listeners present now and the tracers that heard its start, and commits its
     * event. Whatever they throw is ignored: the drop's outcome must still complete.
     * @param failure the drop's failure, or {@code null} when it succeeded
     */
    public void ended(@Nullable Throwable failure) {
        GuardDropListener[] listeners = GuardDropListeners.listeners();
        if (listeners.length > 0) {
            Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
            for (GuardDropListener listener : listeners) {
                try {
                    listener.onGuardDropped(resourceType, duration, failure);
                }
                catch (Throwable ex) {
                    // A drop is too frequent an event to log each failure of a listener.
                }
            }
        }
        for (Consumer<@Nullable Throwable> end : tracerEnds) {
            try {
                if (end != null) {
                    end.accept(failure);
                }
            }
            catch (Throwable ex) {
                // As for listeners.
            }
        }
        if (event != null) {
            GuardDropEvents.commit(event, resourceType, failure);
        }
    }
}
