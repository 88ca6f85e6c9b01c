package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import jdk.jfr.FlightRecorder;

import dev.asyncdrop.internal.jfr.PhaseEvents;

/**
 * Keeps a JDK Flight Recorder dump at JVM exit waiting until the shutdown's drops have ended, so that a recording
 * started with {@code -XX:StartFlightRecording:dumponexit=true} holds them.
 * <p>
 * On {@code System.exit} or SIGTERM the JVM starts every shutdown hook at once: Spring's, which closes the context
 * and runs the drops, and the JDK's, which stops each recording, writes it out and shuts the flight recorder down.
 * The JDK's is much quicker, so the recording ends before the first drop and no later event is recorded anywhere.
 * When it stops a recording, though, the JDK first runs the periodic events due at the end of a chunk, in its own
 * thread: {@link RecordingHoldEvent} is one, and its hook waits there, during a JVM shutdown only, until each
 * closing context's drops have ended, bounded by that context's worst case. The recording then ends with the drops
 * in it. A context that has not started closing within a short grace (nothing closes it, or it waits for another
 * context to close first) is not waited for.
 * <p>
 * Only contexts of a JVM whose flight recorder was started with it (or before the context) are held for, and only
 * while the hold event is enabled, which it is unless a recording's settings turn it off. The hook is registered with
 * the first context held for, and removed once no context is. Thread-safe.
 */
final class FlightRecordingHold {

    /** How long a context may take to start closing once the JVM shuts down, for the hold to wait for it. */
    private static final Duration CLOSING_GRACE = Duration.ofSeconds(5);

    private static final Duration MARGIN = Duration.ofSeconds(5);

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    // Weakly: a context that is never closed must not be kept alive by the hold.
    private static final Set<ContextShutdown> SHUTDOWNS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private static final Map<ContextShutdown, Duration> BOUNDS = Collections.synchronizedMap(new WeakHashMap<>());

    /** The periodic hook, one for all contexts; registered while a context is held for. */
    private static final Runnable HOOK = FlightRecordingHold::awaitDropsIfShuttingDown;

    /** Guarded by the class. */
    private static boolean registered;

    private FlightRecordingHold() {
    }

    /**
     * Holds recordings dumped at JVM exit for a context's drops, if the flight recorder is running.
     * @param shutdown the context's shutdown
     * @param bound how long its whole shutdown may take
     */
    static void hold(ContextShutdown shutdown, Duration bound) {
        if (!AVAILABLE || !Recorder.isInitialized()) {
            return;
        }
        PhaseEvents.prepare();
        synchronized (FlightRecordingHold.class) {
            BOUNDS.put(shutdown, bound.plus(MARGIN));
            SHUTDOWNS.add(shutdown);
            if (!registered) {
                registered = true;
                Recorder.addHook(HOOK);
            }
        }
        shutdown.finished().whenComplete((ignored, failure) -> release(shutdown));
    }

    /**
     * A context's drops have ended: it is no longer held for, and the hook is removed with the last such context, so
     * that contexts started and closed one after another in one JVM leave no hook behind. During a JVM shutdown the
     * hook is left alone: it may be running, and the JVM goes anyway.
     */
    private static synchronized void release(ContextShutdown shutdown) {
        SHUTDOWNS.remove(shutdown);
        BOUNDS.remove(shutdown);
        if (registered && SHUTDOWNS.isEmpty() && !jvmShuttingDown()) {
            registered = false;
            Recorder.removeHook(HOOK);
        }
    }

    /** @return the hook registered with the flight recorder while a context is held for */
    static Runnable hook() {
        return HOOK;
    }

    /** @return whether the hook is registered with the flight recorder */
    static synchronized boolean isHookRegistered() {
        return registered;
    }

    /** Runs at the end of every chunk; only waits when the JVM is shutting down and a context is due to close. */
    private static void awaitDropsIfShuttingDown() {
        List<ContextShutdown> pending;
        synchronized (SHUTDOWNS) {
            pending = List.copyOf(SHUTDOWNS);
        }
        if (pending.isEmpty() || !jvmShuttingDown()) {
            return;
        }
        Recorder.recordHold(() -> {
            int held = 0;
            for (ContextShutdown shutdown : pending) {
                if (awaitClosing(shutdown)) {
                    held++;
                    awaitFinished(shutdown, BOUNDS.getOrDefault(shutdown, MARGIN));
                }
            }
            return held;
        });
    }

    private static boolean awaitClosing(ContextShutdown shutdown) {
        // Spring's shutdown hook started with this one: it publishes ContextClosedEvent at once, unless it closes
        // another context first.
        long deadline = System.nanoTime() + CLOSING_GRACE.toNanos();
        while (!shutdown.isClosing()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return true;
    }

    private static void awaitFinished(ContextShutdown shutdown, Duration bound) {
        try {
            shutdown.finished().toCompletableFuture().get(bound.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            // The drops failed to end in time: the recording goes out with what it has.
        }
    }

    /** Whether the JVM is running its shutdown hooks: it then refuses new ones. */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        }
        catch (IllegalStateException ex) {
            return true;
        }
    }

    /** The flight recorder's types, touched only when its module exists. */
    private static final class Recorder {

        static boolean isInitialized() {
            return FlightRecorder.isInitialized();
        }

        static void addHook(Runnable hook) {
            FlightRecorder.addPeriodicEvent(RecordingHoldEvent.class, hook);
        }

        static void removeHook(Runnable hook) {
            FlightRecorder.removePeriodicEvent(hook);
        }

        static void recordHold(IntSupplier hold) {
            RecordingHoldEvent event = new RecordingHoldEvent();
            event.begin();
            event.contexts = hold.getAsInt();
            event.commit();
        }
    }
}
