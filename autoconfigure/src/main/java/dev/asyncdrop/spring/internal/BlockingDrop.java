package dev.asyncdrop.spring.internal;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Adapts a bean whose cleanup blocks: the blocking call runs on a drop thread, so it stalls neither the
 * coordinator's schedule nor its timeouts, and a timeout interrupts it. Thread-safe.
 */
abstract class BlockingDrop extends AdaptedDrop {

    /** The prefix of the names of the threads that {@link #newExecutor()} starts. */
    static final String THREAD_NAME_PREFIX = "async-drop-blocking-";

    private final Executor executor;

    private volatile @Nullable Future<?> running;

    BlockingDrop(String name, Object bean, DropTier tier, Executor executor) {
        super(name, bean, tier);
        this.executor = Objects.requireNonNull(executor, "'executor' must not be null");
    }

    /**
     * Creates the executor that runs a context's blocking cleanups: one thread per cleanup, started when the
     * cleanup starts and gone when it returns, so an idle context holds no thread. The threads are daemons: a
     * {@code close()} that never returns, even when interrupted, must not keep the JVM alive. Closing the executor
     * rejects later cleanups and leaves running ones alone.
     * @return a new executor
     */
    static SimpleAsyncTaskExecutor newExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(THREAD_NAME_PREFIX);
        executor.setDaemon(true);
        return executor;
    }

    @Override
    protected final CompletionStage<Void> startDrop() {
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        FutureTask<Void> task = new FutureTask<>(() -> {
            runBlocking();
            return null;
        }) {
            @Override
            protected void done() {
                try {
                    get();
                    dropped.complete(null);
                }
                catch (ExecutionException ex) {
                    dropped.completeExceptionally(ex.getCause());
                }
                catch (CancellationException | InterruptedException ex) {
                    dropped.completeExceptionally(ex);
                }
            }
        };
        running = task;
        executor.execute(task);
        return dropped;
    }

    @Override
    public final void onDropTimeout() {
        try {
            escalate();
        }
        finally {
            Future<?> task = running;
            if (task != null) {
                task.cancel(true);
            }
        }
    }

    /**
     * Does the blocking cleanup, on a drop thread.
     * @throws Exception when the cleanup fails
     */
    protected abstract void runBlocking() throws Exception;

    /** Called when the coordinator gives up waiting, before the drop thread is interrupted; must not block. */
    protected void escalate() {
    }
}
