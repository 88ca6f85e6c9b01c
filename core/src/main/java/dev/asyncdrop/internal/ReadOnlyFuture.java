package dev.asyncdrop.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A future that only its creator completes, handed to many callers who must all see the same outcome. Unlike
 * {@link CompletableFuture#minimalCompletionStage()} it is one object, {@code toCompletableFuture()} returns it
 * (so {@code join()} and {@code get()} work), and its dependents receive the failure itself rather than a
 * {@link java.util.concurrent.CompletionException} wrapping it. Every way of completing it from outside throws
 * {@link UnsupportedOperationException}; {@link #cancel} answers {@code false}. Derived stages are ordinary
 * futures.
 *
 * @param <T> the type of the value
 */
public final class ReadOnlyFuture<T extends @Nullable Object> extends CompletableFuture<T> {

    // Read-only and complete, so one instance can stand for every drop that succeeded at once.
    private static final ReadOnlyFuture<Void> SUCCEEDED = new ReadOnlyFuture<>();

    static {
        SUCCEEDED.succeed(null);
    }

    /** @return the one future that has succeeded with no value */
    public static ReadOnlyFuture<Void> succeeded() {
        return SUCCEEDED;
    }

    /**
     * @param failure a failure
     * @return a new future that has failed with it
     */
    public static ReadOnlyFuture<Void> failed(Throwable failure) {
        ReadOnlyFuture<Void> future = new ReadOnlyFuture<>();
        future.fail(failure);
        return future;
    }

    /** Completes the future with a value, as its creator. */
    public void succeed(@Nullable T value) {
        super.complete(value);
    }

    /** Completes the future with a failure, as its creator. */
    public void fail(Throwable failure) {
        super.completeExceptionally(failure);
    }

    /** Completes the future as another one ended, as its creator: with no value when it succeeded. */
    public void settle(@Nullable Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause == null) {
            super.complete(null);
        }
        else {
            super.completeExceptionally(cause);
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public boolean complete(@Nullable T value) {
        throw readOnly();
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        throw readOnly();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public void obtrudeValue(@Nullable T value) {
        throw readOnly();
    }

    @Override
    public void obtrudeException(Throwable failure) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
        throw readOnly();
    }

    @Override
    public CompletableFuture<T> completeOnTimeout(@Nullable T value, long timeout, TimeUnit unit) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("This future reports a drop's outcome to every caller and cannot "
                + "be completed by them; use copy() for a future of your own");
    }
}
