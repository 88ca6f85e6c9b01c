package dev.asyncdrop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.CompletedStages;
import dev.asyncdrop.internal.GuardDropListeners;
import dev.asyncdrop.internal.GuardDropWait;
import dev.asyncdrop.internal.LeakTracker;
import dev.asyncdrop.internal.ReadOnlyFuture;
import dev.asyncdrop.internal.SafeLog;
import dev.asyncdrop.internal.WatchedGuardDrop;

/**
 * Owns an {@link AsyncDroppable} resource and the obligation to drop it: the JVM counterpart of Rust's
 * {@code AsyncDropGuard}. Drop it with {@link #asyncDrop()} (non-blocking), {@link #close()} (blocking, for
 * try-with-resources) or hand it to {@link AsyncDrop#using AsyncDrop.using}, to drop it after a body on every path:
 * <pre>{@code
 * AsyncDropGuard<Connection> connection = AsyncDropGuard.of(Connection.open(address));
 * CompletableFuture<Reply> reply = AsyncDrop.using(connection, c -> c.send(request)); // dropped once reply completes
 * }</pre>
 * A guard that becomes unreachable without being dropped is reported by {@link LeakDetection}.
 * <p>
 * The resource's {@link AsyncDroppable#asyncDrop()} is called exactly once, by whichever thread first calls
 * {@link #asyncDrop()} or {@link #close()}; every later call returns the same stage. Once the drop has started,
 * {@link #get()} throws. A guard can instead be disarmed with {@link #unsafeIntoInnerDontDrop()}, which hands the
 * obligation to the caller.
 * <p>
 * Thread-safe: all methods may be called concurrently. The state is one atomically updated field, so a guard costs
 * one small object, plus an outcome future unless its drop succeeds at once.
 *
 * @param <T> the type of the guarded resource
 * @since 0.1.0
 */
public final class AsyncDropGuard<T extends AsyncDroppable> implements AutoCloseable {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(AsyncDropGuard.class, "state", Object.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // The state once unsafeIntoInnerDontDrop() or unsafeMap() has taken the obligation away.
    private static final Object DISARMED = new Object();

    // The state from the start of the drop until the resource's asyncDrop() has returned. A drop that completes at
    // once then needs no future of its own: it ends in the one shared completed stage.
    private static final Object DROPPING = new Object();

    // The state for the instant disarmIf() decides: still armed, but nobody else may drop or disarm the guard until
    // it is armed again or disarmed. Only SharedAsyncDrop.tryUnwrap() sets it.
    private static final Object CLAIMED = new Object();

    private final T resource;
    private final @Nullable GuardOwner owner;
    private final @Nullable LeakTracker leakTracker;

    // null while armed; CLAIMED; DISARMED; DROPPING; or the ReadOnlyFuture<Void> every asyncDrop() returns once the
    // resource's asyncDrop() has returned (or a caller racing the drop has left one to complete).
    private volatile @Nullable Object state;

    private AsyncDropGuard(T resource, @Nullable GuardOwner owner) {
        this.resource = resource;
        this.owner = owner;
        this.leakTracker = LeakDetection.guardCreated(this, resource);
    }

    /**
     * Creates a guard that owns the obligation to drop a resource.
     * @param resource the resource
     * @param <T> the type of the resource
     * @return an armed guard
     */
    public static <T extends AsyncDroppable> AsyncDropGuard<T> of(T resource) {
        return armed(Objects.requireNonNull(resource, "'resource' must not be null"), null);
    }

    /** A guard that tells its owner when it is dropped or disarmed, so the owner forgets it. */
    static <T extends AsyncDroppable> AsyncDropGuard<T> owned(T resource, GuardOwner owner) {
        return armed(resource, owner);
    }

    /**
     * Returns the guarded resource, for use while the guard is armed. Do not keep it beyond the guard's drop.
     * @return the resource
     * @throws IllegalStateException if the drop has started or the guard was disarmed
     */
    public T get() {
        Object current = this.state;
        if (current != null) {
            current = settled();
            if (current != null) {
                throw unusable(current, "get()");
            }
        }
        return this.resource;
    }

    /**
     * Drops the resource. The first call invokes the resource's {@link AsyncDroppable#asyncDrop()}; every call, from
     * any thread, returns a stage for the same outcome, which callers cannot complete or cancel: the completing
     * methods of its {@code toCompletableFuture()} throw {@link UnsupportedOperationException} and {@code cancel}
     * answers {@code false} (a future of your own: {@code asyncDrop().toCompletableFuture().copy()}). A resource
     * whose {@code asyncDrop()} throws or returns {@code null} yields a failed stage; the failure is the resource's
     * own exception, never a {@link CompletionException}. A caller that loses the race to a concurrent first call
     * may get the stage before the winner has invoked the resource: the drop's effects are promised when the stage
     * completes. Drops that succeed at once may share one completed stage; compare outcomes, not identities.
     * @return a stage that completes when the resource is dropped, exceptionally if its drop failed
     * @throws IllegalStateException if the guard was disarmed
     */
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> asyncDrop() {
        Object current = this.state;
        for (;;) {
            if (current == null) {
                if (STATE.compareAndSet(this, null, DROPPING)) {
                    return drop();
                }
            }
            else if (current == DROPPING) {
                // The winner is still inside the resource's asyncDrop(): leave it a future to complete.
                ReadOnlyFuture<Void> waiter = new ReadOnlyFuture<>();
                if (STATE.compareAndSet(this, DROPPING, waiter)) {
                    return waiter;
                }
            }
            else if (current == CLAIMED) {
                Thread.onSpinWait();
            }
            else if (current == DISARMED) {
                throw unusable(current, "asyncDrop()");
            }
            else {
                return (ReadOnlyFuture<Void>) current;
            }
            current = this.state;
        }
    }

    /** @return whether the drop has started (a disarmed guard was not dropped and answers {@code false}) */
    public boolean isDropped() {
        Object current = this.state;
        return current != null && current != DISARMED && current != CLAIMED;
    }

    /** @return whether {@link #unsafeIntoInnerDontDrop()} or {@link #unsafeMap} took the obligation away */
    boolean isDisarmed() {
        return this.state == DISARMED;
    }

    /**
     * Disarms the guard and returns the resource: the caller now owns the obligation to drop it, and leak detection
     * no longer watches it. The guard rejects every later use.
     * @return the resource, which must now be dropped by the caller or a new owner
     * @throws IllegalStateException if the guard is already dropped or disarmed
     */
    public T unsafeIntoInnerDontDrop() {
        disarm("unsafeIntoInnerDontDrop()");
        return this.resource;
    }

    /**
     * Moves the obligation to a new resource derived from this one, typically a wrapper whose drop drops this
     * resource. This guard is disarmed and a new guard owns the result. If the mapper throws or returns
     * {@code null}, this guard stays armed. The new guard does not inherit an owning {@link AsyncDropScope}.
     * @param mapper turns the resource into the new owner of the obligation; must not return {@code null}
     * @param <U> the type of the new resource
     * @return a new armed guard for the mapped resource
     * @throws IllegalStateException if the guard is already dropped or disarmed, or was dropped while mapping
     */
    public <U extends AsyncDroppable> AsyncDropGuard<U> unsafeMap(Function<? super T, ? extends U> mapper) {
        Objects.requireNonNull(mapper, "'mapper' must not be null");
        U mapped = Objects.requireNonNull(mapper.apply(get()), "'mapper' must not return null");
        disarm("unsafeMap()");
        return armed(mapped, null);
    }

    // Every guard is made here: a handle of a SharedAsyncDrop must know the guard that now holds it, so that
    // tryUnwrap() decides on that guard, and not on one that unsafeMap() or unsafeIntoInnerDontDrop() disarmed.
    private static <T extends AsyncDroppable> AsyncDropGuard<T> armed(T resource, @Nullable GuardOwner owner) {
        AsyncDropGuard<T> guard = new AsyncDropGuard<>(resource, owner);
        if (resource instanceof SharedAsyncDrop<?> handle) {
            handle.heldBy(guard);
        }
        return guard;
    }

    /**
     * Drops the resource and waits for the drop to finish, for try-with-resources. Does nothing on a disarmed
     * guard, so a block may hand its resource on with {@link #unsafeIntoInnerDontDrop()}. If the waiting thread is
     * interrupted, its interrupt flag is restored and the drop goes on in the background.
     * @throws AsyncDropException if the drop failed (the failure is the cause) or the wait was interrupted
     */
    @Override
    public void close() {
        if (this.state == DISARMED) {
            return;
        }
        CompletionStage<Void> drop;
        try {
            drop = asyncDrop();
        }
        catch (IllegalStateException ex) {
            return;  // disarmed concurrently: the obligation left with whoever disarmed it
        }
        GuardDropWait.await(drop, this.resource.getClass());
    }

    /** @return the resource, and whether the guard is armed, dropping, dropped, failed or disarmed */
    @Override
    public String toString() {
        return "AsyncDropGuard[" + describeResource() + ", " + stateName() + ']';
    }

    // Runs once, in the thread whose compare-and-set moved the state from armed to DROPPING.
    @SuppressWarnings("unchecked")
    private CompletionStage<Void> drop() {
        released();
        WatchedGuardDrop watched = GuardDropListeners.started(this.resource.getClass());
        CompletionStage<Void> stage;
        try {
            stage = this.resource.asyncDrop();
            if (stage == null) {
                throw new NullPointerException(this.resource.getClass().getName() + ".asyncDrop() returned null; "
                        + "return a stage, for example CompletableFuture.completedFuture(null)");
            }
            // The common case of a resource that drops synchronously: no callback, and no future when it succeeded.
            if (CompletedStages.isKnownDone(stage)) {
                return settle(CompletedStages.failureOf(stage), watched);
            }
        }
        catch (Throwable ex) {
            return settle(ex, watched);
        }
        ReadOnlyFuture<Void> outcome = new ReadOnlyFuture<>();
        if (!STATE.compareAndSet(this, DROPPING, outcome)) {
            outcome = (ReadOnlyFuture<Void>) this.state;  // a racing caller's, the only change DROPPING allows
        }
        ReadOnlyFuture<Void> pending = outcome;
        try {
            stage.whenComplete((ignored, failure) -> pending.settle(WatchedGuardDrop.observed(failure, watched)));
        }
        catch (Throwable ex) {
            // A hand-made stage that cannot take a callback would otherwise leave the drop pending forever.
            pending.settle(WatchedGuardDrop.observed(ex, watched));
        }
        return pending;
    }

    /** Ends a drop whose outcome was known when the resource's asyncDrop() returned. */
    @SuppressWarnings("unchecked")
    private ReadOnlyFuture<Void> settle(@Nullable Throwable failure, @Nullable WatchedGuardDrop watched) {
        Throwable cause = WatchedGuardDrop.observed(failure, watched);
        ReadOnlyFuture<Void> outcome = (cause == null) ? ReadOnlyFuture.succeeded() : ReadOnlyFuture.failed(cause);
        if (STATE.compareAndSet(this, DROPPING, outcome)) {
            return outcome;
        }
        ReadOnlyFuture<Void> waiter = (ReadOnlyFuture<Void>) this.state;
        waiter.settle(cause);
        return waiter;
    }

    private void disarm(String operation) {
        leaveArmed(DISARMED, operation);
        released();
    }

    /**
     * Disarms the guard if a condition holds, decided atomically with respect to every other use of this guard:
     * while the condition is evaluated the guard stays armed, and drops, disarms and reads from other threads wait
     * for the decision (which must therefore be quick and never block). For {@link SharedAsyncDrop#tryUnwrap()},
     * which must take a handle's reference and disarm the handle as one step.
     * @param condition decides; may change state elsewhere when it answers {@code true}
     * @param operation the caller, for the message of an exception
     * @return whether the guard was disarmed; {@code false} leaves it armed as it was
     * @throws IllegalStateException if the guard is already dropped or disarmed
     */
    boolean disarmIf(BooleanSupplier condition, String operation) {
        leaveArmed(CLAIMED, operation);
        boolean holds;
        try {
            holds = condition.getAsBoolean();
        }
        catch (RuntimeException | Error ex) {
            this.state = null;
            throw ex;
        }
        if (!holds) {
            this.state = null;
            return false;
        }
        this.state = DISARMED;
        released();
        return true;
    }

    /** Moves the state from armed to another, waiting out a disarmIf() decision, or throws if it is not armed. */
    private void leaveArmed(Object next, String operation) {
        while (!STATE.compareAndSet(this, null, next)) {
            Object current = settled();
            if (current != null) {
                throw unusable(current, operation);
            }
        }
    }

    /** @return the state once no disarmIf() is deciding, which takes a compare-and-set or two */
    private @Nullable Object settled() {
        Object current = this.state;
        while (current == CLAIMED) {
            Thread.onSpinWait();
            current = this.state;
        }
        return current;
    }

    // Runs once per guard, in whichever thread won the state change away from armed.
    private void released() {
        LeakDetection.guardReleased(this.leakTracker);
        GuardOwner currentOwner = this.owner;
        if (currentOwner != null) {
            currentOwner.release(this);
        }
        // Until the tracker is discharged, a collection of this guard would be taken for a leak.
        Reference.reachabilityFence(this);
    }

    private IllegalStateException unusable(@Nullable Object current, String operation) {
        if (current == DISARMED) {
            return new IllegalStateException("Cannot call " + operation + " on the AsyncDropGuard of " + resourceName()
                    + ": it was disarmed by unsafeIntoInnerDontDrop() or unsafeMap(), and the resource now belongs "
                    + "to whoever took it");
        }
        return new IllegalStateException("Cannot call " + operation + " on the AsyncDropGuard of " + resourceName()
                + ": it has already been dropped; use the resource only before asyncDrop() or close()");
    }

    private String resourceName() {
        return this.resource.getClass().getName();
    }

    private String describeResource() {
        return SafeLog.describe(this.resource);
    }

    @SuppressWarnings("unchecked")
    private String stateName() {
        Object current = this.state;
        if (current == null || current == CLAIMED) {
            return "armed";
        }
        if (current == DISARMED) {
            return "disarmed";
        }
        if (current == DROPPING || !((ReadOnlyFuture<Void>) current).isDone()) {
            return "dropping";
        }
        return ((ReadOnlyFuture<Void>) current).isCompletedExceptionally() ? "drop failed" : "dropped";
    }
}
