package dev.asyncdrop.internal;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.GuardDropListener;
import dev.asyncdrop.internal.jfr.GuardDropEvents;

/**
 * The listeners behind {@code GuardDrops}, and the tracers of the metrics: copy-on-write arrays behind one volatile
 * field, so that the guard's hot path reads that field and, when nothing watches, only asks the flight recorder
 * whether it records guard drops. Thread-safe.
 */
public final class GuardDropListeners {

    private static final Watchers NONE = new Watchers(new GuardDropListener[0], new GuardDropTracer[0]);

    private static volatile Watchers watchers = NONE;

    private GuardDropListeners() {
    }

    /**
     * A guard's drop starts now.
     * @param resourceType the class of the resource being dropped
     * @return the drop as watched, to be ended when it completes; {@code null} when nothing watches guard drops, so
     * that an unwatched drop neither reads the clock nor allocates
     */
    public static @Nullable WatchedGuardDrop started(Class<?> resourceType) {
        Watchers current = watchers;
        boolean recorded = GuardDropEvents.enabled();
        if (current == NONE && !recorded) {
            return null;
        }
        return new WatchedGuardDrop(resourceType, current.tracers, recorded);
    }

    /** @param listener a listener to add */
    public static synchronized void add(GuardDropListener listener) {
        Watchers current = watchers;
        update(append(current.listeners, listener), current.tracers);
    }

    /** @param listener a listener to remove, once */
    public static synchronized void remove(GuardDropListener listener) {
        Watchers current = watchers;
        update(without(current.listeners, listener), current.tracers);
    }

    /** @param tracer a tracer to add: it hears each drop that starts from now on */
    public static synchronized void addTracer(GuardDropTracer tracer) {
        Watchers current = watchers;
        update(current.listeners, append(current.tracers, tracer));
    }

    /** @param tracer a tracer to remove, once; drops it heard start still tell it when they end */
    public static synchronized void removeTracer(GuardDropTracer tracer) {
        Watchers current = watchers;
        update(current.listeners, without(current.tracers, tracer));
    }

    /** @return the listeners present now */
    static GuardDropListener[] listeners() {
        return watchers.listeners;
    }

    private static void update(GuardDropListener[] listeners, GuardDropTracer[] tracers) {
        watchers = (listeners.length == 0 && tracers.length == 0) ? NONE : new Watchers(listeners, tracers);
    }

    private static <T> T[] append(T[] current, T element) {
        T[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = element;
        return next;
    }

    private static <T> T[] without(T[] current, T element) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] == element) {
                T[] next = Arrays.copyOf(current, current.length - 1);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                return next;
            }
        }
        return current;
    }

    private record Watchers(GuardDropListener[] listeners, GuardDropTracer[] tracers) {
    }
}
