package dev.asyncdrop.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * The fast path of a drop whose stage has already completed, as most synchronous drops' stages have: the guard and
 * the coordinator read its outcome on the spot instead of registering a callback. Thread-safe: stateless.
 */
public final class CompletedStages {

    private CompletedStages() {
    }

    /**
     * Whether a stage is a future that has completed. Only futures whose {@code isDone()} is known to work qualify:
     * a minimal stage is a {@code CompletableFuture} whose {@code isDone()} throws, and other subclasses may do
     * anything, so they answer {@code false} and take the callback path.
     * @param stage a stage
     * @return whether its outcome can be read at once with {@link #failureOf}
     */
    public static boolean isKnownDone(CompletionStage<?> stage) {
        return (stage.getClass() == CompletableFuture.class || stage instanceof ReadOnlyFuture)
                && ((CompletableFuture<?>) stage).isDone();
    }

    /**
     * @param done a stage for which {@link #isKnownDone} answered {@code true}
     * @return its failure without the wrappers futures add, or {@code null} when it succeeded
     */
    public static @Nullable Throwable failureOf(CompletionStage<?> done) {
        CompletableFuture<?> future = (CompletableFuture<?>) done;
        if (!future.isCompletedExceptionally()) {
            return null;
        }
        // The failure as stored, read by a function that runs at once on a completed future: no join(), which would
        // wrap it in a new CompletionException (a stack trace filled for nothing) and throw it to be caught.
        return Failures.unwrap(future.handle(CompletedStages::failure).getNow(null));
    }

    /**
     * The function that turns a stage's outcome into its failure, for {@code handle(...)}: the failure as stored,
     * without the wrapper {@code join()} or {@code get()} would put around it.
     * @param ignored the stage's value
     * @param failure the stage's failure, or {@code null}
     * @return the failure
     */
    static @Nullable Throwable failure(@Nullable Object ignored, @Nullable Throwable failure) {
        return failure;
    }
}
