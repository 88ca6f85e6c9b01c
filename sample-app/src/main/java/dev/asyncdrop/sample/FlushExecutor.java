package dev.asyncdrop.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.asyncdrop.AsyncDroppable;

/**
 * The single thread that writes the {@link EventBuffer}'s batches, wrapped so that it is dropped like any other
 * resource: its drop lets queued tasks finish and completes when the thread has terminated; when a coordinator gives
 * up waiting, the remaining tasks are discarded and the thread is interrupted.
 * <p>
 * The drop does not need a thread of its own to wait: the JDK executor reports its own termination through
 * {@code terminated()}, which completes the stage.
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class FlushExecutor implements AsyncDroppable {

    private static final Logger logger = LoggerFactory.getLogger(FlushExecutor.class);

    private final TerminationReportingExecutor executor;

    /**
     * Starts the executor's thread.
     * @param threadName the name of the executor's thread, as it appears in thread dumps and logs
     */
    public FlushExecutor(String threadName) {
        this.executor = new TerminationReportingExecutor(threadName);
    }

    /**
     * Runs {@code task} repeatedly, {@code delay} after the end of each run. A run that throws ends the repetition,
     * so the task should handle its own failures.
     * @param task the task to repeat
     * @param delay the time between the end of one run and the start of the next
     * @return the handle that cancels the repetition
     * @throws RejectedExecutionException once the drop has started
     */
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
        long millis = delay.toMillis();
        return this.executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} once, after the tasks already queued.
     * @param task the task to run
     * @throws RejectedExecutionException once the drop has started
     */
    public void execute(Runnable task) {
        this.executor.execute(task);
    }

    /**
     * Stops accepting tasks, lets the queued ones run (periodic tasks are not repeated) and completes once the
     * thread has terminated.
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        logger.info("Flush executor stopping: waiting for {} queued task(s)", this.executor.getQueue().size());
        this.executor.shutdown();
        return this.executor.termination.copy();
    }

    /**
     * Discards the tasks that have not started and interrupts the running one.
     */
    @Override
    public void onDropTimeout() {
        List<Runnable> discarded = this.executor.shutdownNow();
        logger.warn("Flush executor did not terminate in time: interrupted its thread and discarded {} task(s)",
                discarded.size());
    }

    /**
     * Whether the executor's thread has terminated.
     * @return {@code true} once the drop has finished
     */
    public boolean isTerminated() {
        return this.executor.isTerminated();
    }

    private static final class TerminationReportingExecutor extends ScheduledThreadPoolExecutor {

        private final CompletableFuture<Void> termination = new CompletableFuture<>();

        TerminationReportingExecutor(String threadName) {
            super(1, (runnable) -> {
                Thread thread = new Thread(runnable, threadName);
                // A context closed without the drop must not keep the JVM alive.
                thread.setDaemon(true);
                return thread;
            });
            setRemoveOnCancelPolicy(true);
        }

        @Override
        protected void terminated() {
            super.terminated();
            logger.info("Flush executor terminated");
            this.termination.complete(null);
        }
    }
}
