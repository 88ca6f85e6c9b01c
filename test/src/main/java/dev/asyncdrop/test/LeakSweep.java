package dev.asyncdrop.test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.asyncdrop.LeakReport;
import dev.asyncdrop.internal.GuardWatch;
import dev.asyncdrop.internal.GuardWatch.WatchedGuard;

/**
 * Provokes garbage collection until every guard a watch saw has settled: dropped or disarmed, reported as a leak, or
 * still reachable after a collection. Bounded: a guard that is collected but whose report has not arrived by the
 * deadline, or guards that no collection could be provoked for, are returned as such rather than waited for.
 */
final class LeakSweep {

    // Between two collections, the longest wait for the leak detector's thread to report a collected guard.
    private static final long REPORT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BooleanSupplier collector;

    private final Duration timeout;

    LeakSweep(BooleanSupplier collector, Duration timeout) {
        this.collector = collector;
        this.timeout = timeout;
    }

    /** A sweep that asks the JVM for full collections, for at most {@code timeout}. */
    static LeakSweep systemGc(Duration timeout) {
        return new LeakSweep(LeakSweep::collect, timeout);
    }

    /** @return the longest a sweep waits */
    Duration timeout() {
        return this.timeout;
    }

    /**
     * Runs one collection and tells whether it happened, seen by a fresh object's weak reference being cleared: a
     * JVM with {@code -XX:+DisableExplicitGC} ignores the request.
     */
    static boolean collect() {
        WeakReference<Object> canary = new WeakReference<>(new Object());
        System.gc();
        return canary.refersTo(null);
    }

    /**
     * Sweeps until every guard of the watch has settled or the time is up.
     * @param watch a closed watch
     * @return the leaks, and what could not be settled in time
     * @throws InterruptedException if interrupted while waiting for the leak detector
     */
    Outcome sweep(GuardWatch watch) throws InterruptedException {
        long deadline = System.nanoTime() + this.timeout.toNanos();
        List<WatchedGuard> unsettled = armed(watch.guards());
        while (!unsettled.isEmpty()) {
            long leaksSeen = watch.leaks();
            boolean collected = this.collector.getAsBoolean();
            unsettled = armed(unsettled);
            List<WatchedGuard> awaitingReport = unsettled.stream().filter(WatchedGuard::isCollected).toList();
            if (collected && awaitingReport.isEmpty()) {
                break;  // whatever is left was reachable when the collector last looked
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                List<WatchedGuard> uncollectable = collected ? List.of()
                        : unsettled.stream().filter(guard -> !guard.isCollected()).toList();
                return new Outcome(leaks(watch), awaitingReport, uncollectable);
            }
            if (awaitingReport.isEmpty()) {
                // The collection did not happen (yet): ask again soon, without spinning.
                TimeUnit.NANOSECONDS.sleep(Math.min(remaining, REPORT_WAIT_NANOS / 10));
            }
            else {
                watch.awaitLeakBeyond(leaksSeen, Math.min(remaining, REPORT_WAIT_NANOS), TimeUnit.NANOSECONDS);
            }
        }
        return new Outcome(leaks(watch), List.of(), List.of());
    }

    /** @return the guards neither dropped, disarmed nor reported yet */
    private static List<WatchedGuard> armed(List<WatchedGuard> guards) {
        List<WatchedGuard> armed = new ArrayList<>(guards.size());
        for (WatchedGuard guard : guards) {
            if (!guard.isDischarged() && guard.leak() == null) {
                armed.add(guard);
            }
        }
        return armed;
    }

    private static List<LeakReport> leaks(GuardWatch watch) {
        List<LeakReport> leaks = new ArrayList<>();
        for (WatchedGuard guard : watch.guards()) {
            LeakReport leak = guard.leak();
            if (leak != null) {
                leaks.add(leak);
            }
        }
        return leaks;
    }

    /**
     * What a sweep found.
     * @param leaks the reports of the guards that leaked
     * @param unreported guards collected without being dropped, whose report had not arrived by the deadline
     * @param uncollectable guards nothing can be said about, because no collection could be provoked
     */
    record Outcome(List<LeakReport> leaks, List<WatchedGuard> unreported, List<WatchedGuard> uncollectable) {

        boolean isClean() {
            return this.leaks.isEmpty() && this.unreported.isEmpty() && this.uncollectable.isEmpty();
        }
    }
}
