package dev.asyncdrop.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.LeakReport;

/**
 * Sees every guard created while it is open, on any thread, and how each one ends: dropped or disarmed, reported as
 * a leak, or neither yet. Test support opens one around a test, so that a leak fails the test that caused it rather
 * than whichever test runs when the garbage collector gets to it.
 * <p>
 * While a watch is open, every new guard is tracked whatever the leak detection level, and this watch holds it
 * weakly. While none is open, a guard pays one volatile read ({@link #active()}) and nothing else.
 * <p>
 * Thread-safe.
 */
public final class GuardWatch implements AutoCloseable {

    private static final GuardWatch[] NONE = new GuardWatch[0];

    private static volatile GuardWatch[] open = NONE;

    private final Queue<WatchedGuard> guards = new ConcurrentLinkedQueue<>();

    private final Object leakSignal = new Object();

    // Guarded by leakSignal.
    private long leaks;

    private volatile boolean closed;

    private GuardWatch() {
    }

    /** @return whether any watch is open: when not, guards need not be told to it */
    public static boolean active() {
        return open.length != 0;
    }

    /**
     * Opens a watch: from now until {@link #close()}, it sees every guard created on any thread.
     * @return the open watch
     */
    public static GuardWatch start() {
        GuardWatch watch = new GuardWatch();
        synchronized (GuardWatch.class) {
            GuardWatch[] current = open;
            GuardWatch[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = watch;
            open = next;
        }
        return watch;
    }

    /**
     * Tracks a guard created while a watch is open, and shows it to every open watch.
     * @param guard the new guard
     * @param resource its resource
     * @param sink where its leak report goes, as for a guard nobody watches
     * @return the tracker to discharge when the guard is dropped or disarmed
     */
    public static LeakTracker track(Object guard, Object resource, Consumer<LeakReport> sink) {
        GuardWatch[] watches = open;
        WatchedGuard watched = new WatchedGuard(guard, resource.getClass(), watches);
        // The report reaches the log and the listeners before the watch hears of it: a test that fails on the
        // leak must not finish, and stop capturing that output, before the output was written.
        watched.tracker = LeakTracker.track(guard, resource, report -> {
            sink.accept(report);
            watched.leaked(report);
        });
        for (GuardWatch watch : watches) {
            if (!watch.closed) {
                watch.guards.add(watched);
            }
        }
        return watched.tracker;
    }

    /** @return the guards created since this watch opened, in creation order per thread */
    public List<WatchedGuard> guards() {
        return new ArrayList<>(this.guards);
    }

    /** @return how many of this watch's guards have been reported as leaks so far */
    public long leaks() {
        synchronized (this.leakSignal) {
            return this.leaks;
        }
    }

    /**
     * Waits until more than {@code seen} of this watch's guards have been reported as leaks, or the time is up.
     * @param seen the count of leaks the caller knows of, from {@link #leaks()}
     * @param timeout the longest wait
     * @param unit the unit of {@code timeout}
     * @return whether a new leak report arrived
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitLeakBeyond(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this.leakSignal) {
            long remaining = deadline - System.nanoTime();
            while (this.leaks <= seen && remaining > 0) {
                TimeUnit.NANOSECONDS.timedWait(this.leakSignal, remaining);
                remaining = deadline - System.nanoTime();
            }
            return this.leaks > seen;
        }
    }

    /** Stops seeing new guards; the guards seen so far keep being followed. Idempotent. */
    @Override
    public void close() {
        this.closed = true;
        synchronized (GuardWatch.class) {
            GuardWatch[] current = open;
            int index = Arrays.asList(current).indexOf(this);
            if (index < 0) {
                return;
            }
            GuardWatch[] next = new GuardWatch[current.length - 1];
            System.arraycopy(current, 0, next, 0, index);
            System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            open = next.length == 0 ? NONE : next;
        }
    }

    private void leaked() {
        synchronized (this.leakSignal) {
            this.leaks++;
            this.leakSignal.notifyAll();
        }
    }

    /** One guard seen by a watch. Holds the guard weakly, so watching it never keeps it from leaking. */
    public static final class WatchedGuard {

        private final WeakReference<Object> guard;

        private final Class<?> resourceType;

        private final GuardWatch[] watches;

        private @Nullable LeakTracker tracker;

        private volatile @Nullable LeakReport leak;

        WatchedGuard(Object guard, Class<?> resourceType, GuardWatch[] watches) {
            this.guard = new WeakReference<>(guard);
            this.resourceType = resourceType;
            this.watches = watches;
        }

        /** @return the class of the guarded resource */
        public Class<?> resourceType() {
            return this.resourceType;
        }

        /** @return whether the guard was dropped or disarmed: it met its obligation or handed it on */
        public boolean isDischarged() {
            LeakTracker current = this.tracker;
            return current != null && current.isDischarged();
        }

        /** @return the leak report, once leak detection has reported this guard */
        public @Nullable LeakReport leak() {
            return this.leak;
        }

        /**
         * @return whether the garbage collector has found the guard unreachable; an undischarged guard that is
         * collected is a leak, reported as soon as the leak detector's thread gets to it
         */
        public boolean isCollected() {
            return this.guard.refersTo(null);
        }

        void leaked(LeakReport report) {
            this.leak = Objects.requireNonNull(report, "'report' must not be null");
            for (GuardWatch watch : this.watches) {
                watch.leaked();
            }
        }

        @Override
        public String toString() {
            return "WatchedGuard[" + this.resourceType.getName() + (isDischarged() ? ", discharged"
                    : this.leak != null ? ", leaked" : isCollected() ? ", collected" : ", reachable") + ']';
        }
    }
}
