package dev.asyncdrop;

import java.util.Objects;

import dev.asyncdrop.internal.GuardDropListeners;

/**
 * Where {@link GuardDropListener}s are added and removed: they hear about the drop of every {@link AsyncDropGuard}
 * in this JVM. The counterpart of {@link LeakDetection#addListener(LeakListener)} for drops that did happen.
 * <p>
 * Thread-safe: listeners may be added and removed from any thread at any time; a drop in progress hears the
 * listeners present when it started or when it completed.
 *
 * @since 0.1.0
 */
public final class GuardDrops {

    private GuardDrops() {
    }

    /**
     * Adds a listener for every guard drop in this JVM. Adding the same listener twice makes it hear each drop twice.
     * @param listener the listener
     */
    public static void addListener(GuardDropListener listener) {
        GuardDropListeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
    }

    /**
     * Removes a listener (one occurrence of it, if it was added more than once); does nothing if it was not added.
     * @param listener the listener
     */
    public static void removeListener(GuardDropListener listener) {
        GuardDropListeners.remove(Objects.requireNonNull(listener, "'listener' must not be null"));
    }
}
