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

import dev.asyncdrop.AsyncDroppable;

/**
 * Adapts a bean whose cleanup blocks: the blocking call runs on a drop thread, so it stalls neither the
 * coordinator's schedule nor its timeouts, and a timeout interrupts it. Thread-safe.
 */
abstract class BlockingDrop implements AsyncDroppable {

    private final Executor executor;

    private volatile @Nullable Future<?> running;

    BlockingDrop(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "'executor' must not be null");
    }

    @Override
    public final CompletionStage<Void> asyncDrop() {
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
