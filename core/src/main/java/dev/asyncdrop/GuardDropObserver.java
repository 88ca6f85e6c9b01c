package dev.asyncdrop;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.GuardDropObservers;

/**
 * Hears about every drop of an {@link AsyncDropGuard} in this JVM, so that metrics (see
 * {@code dev.asyncdrop.micrometer}) can time runtime drops without the core depending on a metrics library.
 * Called on whichever thread completes the drop; implementations must be thread-safe, quick, and must not throw
 * (a throwing observer is ignored). When no observer is registered, guards do not read the clock.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface GuardDropObserver {

    /**
     * Called once per guard when its drop has completed.
     * @param resourceType the class of the dropped resource (a bounded value, fit for a metric tag)
     * @param duration the time from the start of the drop until its stage completed
     * @param failure the failure of the drop, or {@code null} when it succeeded
     */
    void onGuardDropped(Class<?> resourceType, Duration duration, @Nullable Throwable failure);

    /**
     * Registers an observer for every guard drop in this JVM.
     * @param observer the observer
     * @return a handle whose {@link AutoCloseable#close()} unregisters it
     */
    static Registration register(GuardDropObserver observer) {
        return GuardDropObservers.register(observer);
    }

    /**
     * A registered observer; closing it unregisters the observer. Thread-safe; closing twice does nothing.
     *
     * @since 0.1.0
     */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
