package dev.asyncdrop.benchmarks.makespan;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cleanup of one resource: it completes asynchronously after the resource's delay, as a pool draining its
 * connections would, without holding a thread while it waits. Thread-safe.
 */
final class TimedCleanup {

    private final ScheduledExecutorService timer;
    private final CleanupRecorder recorder;
    private final int resource;
    private final long delayNanos;

    TimedCleanup(ScheduledExecutorService timer, CleanupRecorder recorder, int resource, long delayNanos) {
        this.timer = timer;
        this.recorder = recorder;
        this.resource = resource;
        this.delayNanos = delayNanos;
    }

    /** @return a future completed once the cleanup has finished; its end is recorded before it completes */
    CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        recorder.started(resource);
        timer.schedule(() -> {
            recorder.finished(resource);
            done.complete(null);
        }, delayNanos, TimeUnit.NANOSECONDS);
        return done;
    }
}
