package dev.asyncdrop;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Hears about every drop of an {@link AsyncDropGuard} in this JVM, so that metrics (see
 * {@code dev.asyncdrop.micrometer}) can time runtime drops without the core depending on a metrics library. Add one
 * with {@link GuardDrops#addListener(GuardDropListener)}, as a {@link LeakListener} is added to
 * {@link LeakDetection}.
 * <p>
 * Called on whichever thread completes the drop, before the drop's stage completes; implementations must be
 * thread-safe, quick, and should not throw: a listener that throws is ignored, so that it can neither fail nor hang
 * the drop (a drop is too frequent an event to log each failure of a listener). When no listener is added and no
 * flight recording asks for guard drops, guards do not read the clock.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface GuardDropListener {

    /**
     * Called once per guard when its drop has completed.
     * @param resourceType the class of the dropped resource (a bounded value, fit for a metric tag)
     * @param duration the time from the start of the drop until its stage completed
     * @param failure the failure of the drop, or {@code null} when it succeeded
     */
    void onGuardDropped(Class<?> resourceType, Duration duration, @Nullable Throwable failure);
}
