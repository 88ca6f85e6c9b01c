package dev.asyncdrop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.Failures;
import dev.asyncdrop.internal.SafeLog;

/**
 * Static helpers that drop guards on every path: the JVM counterpart of Rust's {@code with_async_drop!}.
 * <p>
 * Error rules follow try-with-resources: when the work fails and a drop fails too, the work's failure is the
 * result and the drop failures are added to it as {@linkplain Throwable#addSuppressed suppressed}; when only drops
 * fail, the result is an {@link AsyncDropException} whose cause is the first drop failure (first in argument or
 * iteration order, not in time) with any further drop failures suppressed on that cause. Failures are never
 * wrapped in {@link CompletionException}: callers see their own exceptions.
 * <p>
 * Thread-safe: stateless.
 *
 * @since 0.1.0
 */
public final class AsyncDrop {

    private static final System.Logger LOGGER = System.getLogger(AsyncDrop.class.getName());

    private AsyncDrop() {
    }

    /**
     * Runs a body with a guarded resource and drops the guard once the body's stage has completed, whatever the
     * outcome: success, failed stage, synchronous throw from the body, or cancellation of the returned future.
     * <p>
     * Cancelling the returned future cancels the body's stage too (when it is a {@link CompletableFuture} that
     * accepts cancellation), and the guard is dropped as soon as that stage has completed. The resource is never
     * dropped while the body's stage is still running: a body whose stage ignores cancellation delays the drop
     * until it completes. A drop failure that nobody can see any more because the result was cancelled is logged.
     * @param guard the guard to drop after the body
     * @param body the work; receives the resource and returns a stage
     * @param <T> the type of the resource
     * @param <R> the type of the result
     * @return the body's result, completed only after the drop has finished
     */
    public static <T extends AsyncDroppable, R extends @Nullable Object> CompletableFuture<R> using(
            AsyncDropGuard<T> guard, Function<? super T, ? extends CompletionStage<R>> body) {
        Objects.requireNonNull(guard, "'guard' must not be null");
        Objects.requireNonNull(body, "'body' must not be null");
        return using(List.of(guard), () -> body.apply(guard.get()));
    }

    /**
     * Runs a body with two guarded resources and, once the body's stage has completed, drops both guards
     * concurrently, whatever the outcome. The rules of {@link #using(AsyncDropGuard, Function)} apply; when both
     * drops fail, the failure of {@code a} comes first.
     * @param a the first guard
     * @param b the second guard
     * @param body the work; receives both resources and returns a stage
     * @param <A> the type of the first resource
     * @param <B> the type of the second resource
     * @param <R> the type of the result
     * @return the body's result, completed only after both drops have finished
     */
    public static <A extends AsyncDroppable, B extends AsyncDroppable, R extends @Nullable Object>
            CompletableFuture<R> using(AsyncDropGuard<A> a, AsyncDropGuard<B> b,
                    BiFunction<? super A, ? super B, ? extends CompletionStage<R>> body) {
        Objects.requireNonNull(a, "'a' must not be null");
        Objects.requireNonNull(b, "'b' must not be null");
        Objects.requireNonNull(body, "'body' must not be null");
        return using(List.of(a, b), () -> body.apply(a.get(), b.get()));
    }

    /**
     * Drops every guard, all at once, and waits for all of them even if some fail. Guards already dropped join
     * with their existing outcome; a guard whose {@code asyncDrop()} throws (a disarmed one) counts as failed.
     * @param guards the guards to drop; may be empty, must not contain {@code null}
     * @return a future that completes when every drop has finished; if any failed, it fails with an
     *         {@link AsyncDropException} whose cause is the first failure in iteration order, the other failures
     *         being suppressed on that cause
     */
    public static CompletableFuture<Void> dropAll(Collection<? extends AsyncDropGuard<?>> guards) {
        Objects.requireNonNull(guards, "'guards' must not be null");
        List<AsyncDropGuard<?>> toDrop = new ArrayList<>(guards.size());
        for (AsyncDropGuard<?> guard : guards) {
            toDrop.add(Objects.requireNonNull(guard, "'guards' must not contain null"));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        dropEach(toDrop).whenComplete((failures, ignored) -> {
            if (failures.isEmpty()) {
                result.complete(null);
            }
            else {
                result.completeExceptionally(dropsFailed(failures, toDrop.size()));
            }
        });
        return result;
    }

    /**
     * Drops a guard if a stage fails, for handing a fresh resource to work that may not take ownership of it.
     * On success the result passes through and the guard stays armed; on failure the guard is dropped and the
     * result fails with the stage's own failure, after the drop has finished (a drop failure is suppressed on it).
     * @param guard the guard to drop on failure
     * @param stage the work
     * @param <R> the type of the result
     * @return the stage's result
     */
    public static <R extends @Nullable Object> CompletableFuture<R> dropOnFailure(AsyncDropGuard<?> guard,
            CompletionStage<R> stage) {
        Objects.requireNonNull(guard, "'guard' must not be null");
        Objects.requireNonNull(stage, "'stage' must not be null");
        CompletableFuture<R> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = Objects.requireNonNull(Failures.unwrap(failure));
            startDrop(guard).whenComplete((ignored, dropFailure) -> {
                suppress(cause, Failures.unwrap(dropFailure));
                result.completeExceptionally(cause);
            });
        });
        return result;
    }

    private static <R> CompletableFuture<R> using(List<AsyncDropGuard<?>> guards,
            Supplier<? extends @Nullable CompletionStage<R>> body) {
        CompletionStage<R> bodyStage = run(body);
        CompletableFuture<R> result = new CompletableFuture<>();
        result.whenComplete((ignored, failure) -> {
            if (result.isCancelled()) {
                cancel(bodyStage);
            }
        });
        bodyStage.whenComplete((value, bodyFailure) -> dropEach(guards).whenComplete((dropFailures, ignored) -> {
            Throwable failure = Failures.unwrap(bodyFailure);
            if (failure != null) {
                Throwable bodyCause = failure;
                dropFailures.forEach(dropFailure -> suppress(bodyCause, dropFailure));
            }
            else if (!dropFailures.isEmpty()) {
                failure = dropsFailed(dropFailures, guards.size());
            }
            if (failure == null) {
                result.complete(value);
            }
            else if (!result.completeExceptionally(failure) && !dropFailures.isEmpty()) {
                SafeLog.log(LOGGER, System.Logger.Level.WARNING, "A drop failed after its AsyncDrop.using future "
                        + "was cancelled; nobody else can see this failure", failure);
            }
        }));
        return result;
    }

    private static <R> CompletionStage<R> run(Supplier<? extends @Nullable CompletionStage<R>> body) {
        try {
            CompletionStage<R> stage = body.get();
            if (stage == null) {
                return CompletableFuture.failedFuture(
                        new NullPointerException("The body returned null; return a stage instead"));
            }
            return stage;
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private static void cancel(CompletionStage<?> stage) {
        // Only a plain CompletableFuture is ours to cancel; a minimal stage or foreign implementation is left alone.
        if (stage instanceof CompletableFuture<?> future && future.getClass() == CompletableFuture.class) {
            future.cancel(false);
        }
    }

    /** Starts every drop at once; completes, never exceptionally, with the failures in the guards' order. */
    static CompletableFuture<List<Throwable>> dropEach(List<? extends AsyncDropGuard<?>> guards) {
        int count = guards.size();
        CompletableFuture<List<Throwable>> all = new CompletableFuture<>();
        if (count == 0) {
            all.complete(List.of());
            return all;
        }
        Throwable[] failures = new Throwable[count];
        AtomicInteger remaining = new AtomicInteger(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            startDrop(guards.get(i)).whenComplete((ignored, failure) -> {
                failures[index] = Failures.unwrap(failure);
                if (remaining.decrementAndGet() == 0) {
                    List<Throwable> failed = new ArrayList<>();
                    for (Throwable each : failures) {
                        if (each != null) {
                            failed.add(each);
                        }
                    }
                    all.complete(failed);
                }
            });
        }
        return all;
    }

    /** Folds failures in the documented way: the first is the cause, the others are suppressed on it. */
    static AsyncDropException dropsFailed(List<Throwable> failures, int dropCount) {
        Throwable first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            suppress(first, failures.get(i));
        }
        String message = (dropCount == 1) ? "The drop failed: " + first
                : failures.size() + " of " + dropCount + " drops failed; the first failure is the cause, the others "
                        + "are suppressed on it: " + first;
        return new AsyncDropException(message, first);
    }

    static CompletionStage<Void> startDrop(AsyncDropGuard<?> guard) {
        try {
            return guard.asyncDrop();
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    // A guard's failure is one instance shared by every caller of its asyncDrop(), so the same pair can meet again
    // (a second dropAll over the same guards, or the same guards in another order): add each failure once, and never
    // make two failures suppress each other, which would grow without bound or form a cycle in stack traces.
    private static void suppress(Throwable target, @Nullable Throwable suppressed) {
        if (suppressed == null || suppressed == target || contains(target.getSuppressed(), suppressed)
                || contains(suppressed.getSuppressed(), target)) {
            return;
        }
        target.addSuppressed(suppressed);
    }

    private static boolean contains(Throwable[] failures, Throwable failure) {
        for (Throwable each : failures) {
            if (each == failure) {
                return true;
            }
        }
        return false;
    }
}
