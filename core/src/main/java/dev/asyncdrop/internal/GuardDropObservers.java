package dev.asyncdrop.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.GuardDropObserver;

/**
 * The registry behind {@link GuardDropObserver#register}: a copy-on-write array, so that the guard's hot path reads
 * one volatile field and, when it is empty, does nothing else.
 */
public final class GuardDropObservers {

    private static final GuardDropObserver[] NONE = new GuardDropObserver[0];

    private static volatile GuardDropObserver[] observers = NONE;

    private GuardDropObservers() {
    }

    /** @return whether any observer is registered: when not, drops need not be timed */
    public static boolean active() {
        return observers.length != 0;
    }

    public static GuardDropObserver.Registration register(GuardDropObserver observer) {
        Objects.requireNonNull(observer, "'observer' must not be null");
        synchronized (GuardDropObservers.class) {
            GuardDropObserver[] current = observers;
            GuardDropObserver[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = observer;
            observers = next;
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                unregister(observer);
            }
        };
    }

    private static void unregister(GuardDropObserver observer) {
        synchronized (GuardDropObservers.class) {
            GuardDropObserver[] current = observers;
            for (int i = 0; i < current.length; i++) {
                if (current[i] == observer) {
                    GuardDropObserver[] next = new GuardDropObserver[current.length - 1];
                    System.arraycopy(current, 0, next, 0, i);
                    System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                    observers = next.length == 0 ? NONE : next;
                    return;
                }
            }
        }
    }

    /** Tells every observer about a finished drop; an observer that throws is ignored. */
    public static void dropped(Class<?> resourceType, long startNanos, @Nullable Throwable failure) {
        GuardDropObserver[] current = observers;
        if (current.length == 0) {
            return;
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        for (GuardDropObserver observer : current) {
            try {
                observer.onGuardDropped(resourceType, duration, failure);
            }
            catch (Throwable ex) {
                // An observer must not disturb drops, not even with an Error: the drop's outcome must still complete.
            }
        }
    }
}
