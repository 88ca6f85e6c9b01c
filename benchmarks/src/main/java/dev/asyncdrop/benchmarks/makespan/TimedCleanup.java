package dev.asyncdrop.benchmarks.makespan;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

    /**
     * The same cleanup, handing a last step to an executor once the delay has passed, as a buffer hands its last
     * batch to a writer: it finishes when that step has run. A step that fails, or that the executor rejects, leaves
     * the cleanup unfinished.
     * @param executor runs the last step
     * @param lastStep the last step, such as a write through a connection pool
     * @return a future completed once the last step has run, or failed if it could not
     */
    CompletableFuture<Void> startThen(Executor executor, Runnable lastStep) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        recorder.started(resource);
        timer.schedule(() -> {
            try {
                executor.execute(() -> {
                    try {
                        lastStep.run();
                        recorder.finished(resource);
                        done.complete(null);
                    }
                    catch (RuntimeException ex) {
                        done.completeExceptionally(ex);
                    }
                });
            }
            catch (RuntimeException ex) {
                done.completeExceptionally(ex);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
        return done;
    }

    /** @return the index of the resource this cleanup belongs to */
    int resource() {
        return resource;
    }
}
