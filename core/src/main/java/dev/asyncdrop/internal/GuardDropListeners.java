package dev.asyncdrop.internal;

import java.time.Duration;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.GuardDropListener;

/**
 * The listeners behind {@code GuardDrops}: a copy-on-write array, so that the guard's hot path reads one volatile
 * field and, when it is empty, does nothing else. Thread-safe.
 */
public final class GuardDropListeners {

    private static final GuardDropListener[] NONE = new GuardDropListener[0];

    private static volatile GuardDropListener[] listeners = NONE;

    private GuardDropListeners() {
    }

    /** @return whether any listener is added: when not, drops need not be timed */
    public static boolean active() {
        return listeners.length != 0;
    }

    /** @param listener a listener to add */
    public static synchronized void add(GuardDropListener listener) {
        GuardDropListener[] current = listeners;
        GuardDropListener[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = listener;
        listeners = next;
    }

    /** @param listener a listener to remove, once */
    public static synchronized void remove(GuardDropListener listener) {
        GuardDropListener[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                GuardDropListener[] next = new GuardDropListener[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                listeners = (next.length == 0) ? NONE : next;
                return;
            }
        }
    }

    /** Tells every listener about a finished drop; a listener that throws is ignored. */
    public static void dropped(Class<?> resourceType, long startNanos, @Nullable Throwable failure) {
        GuardDropListener[] current = listeners;
        if (current.length == 0) {
            return;
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        for (GuardDropListener listener : current) {
            try {
                listener.onGuardDropped(resourceType, duration, failure);
            }
            catch (Throwable ex) {
                // A listener must not disturb drops, not even with an Error: the drop's outcome must still complete.
            }
        }
    }
}
