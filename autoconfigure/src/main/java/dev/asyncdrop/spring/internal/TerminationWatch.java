package dev.asyncdrop.spring.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.coordinator.DropThreads;

/**
 * Completes a future once an executor service that was shut down has terminated, without a thread waiting for it:
 * the JDK offers only a blocking {@code awaitTermination}, so the service is checked on the coordinator's one shared
 * timer, soon after the shutdown and then less and less often. Thread-safe.
 */
final class TerminationWatch {

    private static final long FIRST_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** The longest gap between two checks: what the watch may add to a drop's duration. */
    private static final long MAX_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ExecutorService executorService;

    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private long nextDelayNanos = FIRST_CHECK_NANOS;

    private volatile @Nullable Future<?> nextCheck;

    private volatile boolean stopped;

    private TerminationWatch(ExecutorService executorService) {
        this.executorService = executorService;
    }

    /**
     * Starts watching an executor service that has been shut down; it is checked at once.
     * @param executorService the service
     * @return the watch
     */
    static TerminationWatch start(ExecutorService executorService) {
        TerminationWatch watch = new TerminationWatch(executorService);
        watch.check();
        return watch;
    }

    /** @return a future completed once the service has terminated; never completed if the watch is stopped first */
    CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Stops checking: nobody waits for the termination any more. */
    void stop() {
        stopped = true;
        Future<?> check = nextCheck;
        if (check != null) {
            check.cancel(false);
        }
    }

    // One check at a time: each schedules the next, and the timer's hand-over orders their memory effects.
    private void check() {
        if (stopped) {
            return;
        }
        if (executorService.isTerminated()) {
            terminated.complete(null);
            return;
        }
        long delay = nextDelayNanos;
        nextDelayNanos = Math.min(delay * 2, MAX_CHECK_NANOS);
        nextCheck = DropThreads.schedule(this::check, delay);
        if (stopped) {
            stop();
        }
    }
}
