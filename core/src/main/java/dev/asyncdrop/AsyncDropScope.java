package dev.asyncdrop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.ReadOnlyFuture;

/**
 * Owns guards created at run time, for example prototype beans, and drops those still alive when it is dropped.
 * Create one with {@link #create()}, which returns the scope's own guard.
 * <p>
 * A guard from {@link #track} or {@link #adopt} belongs to the scope until it is dropped (or disarmed): dropping it
 * early is fine and takes it out of the scope. Dropping the scope drops every guard still owned, concurrently, and
 * completes when all those drops have finished; if any failed, it fails with an {@link AsyncDropException} whose
 * cause is the first failure, the others being suppressed on that cause. Once the scope's drop has begun (the first
 * {@code asyncDrop()} on its guard), {@code track} and {@code adopt} throw {@link IllegalStateException}; a guard
 * tracked concurrently with the drop is either dropped by the scope or rejected, never lost.
 * <p>
 * Thread-safe. Tracking takes a shared lock that only the start of the scope's drop takes exclusively.
 *
 * @since 0.1.0
 */
public final class AsyncDropScope implements AsyncDroppable {

    private final Set<AsyncDropGuard<?>> owned = ConcurrentHashMap.newKeySet();

    // The guards call this when dropped or disarmed, whoever does it.
    private final GuardOwner membership = this.owned::remove;

    private final ReadWriteLock dropLock = new ReentrantReadWriteLock();

    private volatile @Nullable ReadOnlyFuture<Void> drop;

    // The scope's own guard: its drop begins when the guard's does, a moment before the guard calls asyncDrop().
    private volatile @Nullable AsyncDropGuard<?> ownGuard;

    private AsyncDropScope() {
    }

    /**
     * Creates an empty scope.
     * @return the scope's guard; dropping it drops every guard the scope still owns
     */
    public static AsyncDropGuard<AsyncDropScope> create() {
        AsyncDropScope scope = new AsyncDropScope();
        AsyncDropGuard<AsyncDropScope> guard = AsyncDropGuard.of(scope);
        scope.ownGuard = guard;
        return guard;
    }

    /**
     * Guards a resource on behalf of this scope.
     * @param resource the resource
     * @param <T> the type of the resource
     * @return a guard owned by the scope until it is dropped
     * @throws IllegalStateException if the scope's drop has begun; the resource was not taken
     */
    public <T extends AsyncDroppable> AsyncDropGuard<T> track(T resource) {
        Objects.requireNonNull(resource, "'resource' must not be null");
        Lock lock = this.dropLock.readLock();
        lock.lock();
        try {
            checkOpen("track", resource);
            return join(resource);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Moves an existing guard into this scope. The given guard is disarmed and must not be used again; use the
     * returned one, which the scope owns until it is dropped.
     * @param guard the guard to move
     * @param <T> the type of the resource
     * @return a new guard for the same resource, owned by the scope
     * @throws IllegalStateException if the scope's drop has begun (the given guard is left untouched), or the given
     *         guard is already dropped or disarmed
     */
    public <T extends AsyncDroppable> AsyncDropGuard<T> adopt(AsyncDropGuard<T> guard) {
        Objects.requireNonNull(guard, "'guard' must not be null");
        Lock lock = this.dropLock.readLock();
        lock.lock();
        try {
            checkOpen("adopt", guard);
            return join(guard.unsafeIntoInnerDontDrop());
        }
        finally {
            lock.unlock();
        }
    }

    /** @return how many guards the scope still owns */
    public int size() {
        return this.owned.size();
    }

    /**
     * Drops every guard the scope still owns, concurrently; called by the scope's guard.
     * @return a stage that completes when every owned guard is dropped
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        ReadOnlyFuture<Void> mine;
        List<AsyncDropGuard<?>> toDrop = new ArrayList<>();
        Lock lock = this.dropLock.writeLock();
        lock.lock();
        try {
            ReadOnlyFuture<Void> existing = this.drop;
            if (existing != null) {
                return existing;
            }
            mine = new ReadOnlyFuture<>();
            this.drop = mine;
            for (AsyncDropGuard<?> guard : this.owned) {
                // A guard dropped concurrently by its user leaves the set first and is that user's to drop.
                if (this.owned.remove(guard)) {
                    toDrop.add(guard);
                }
            }
        }
        finally {
            lock.unlock();
        }
        AsyncDrop.dropAll(toDrop).whenComplete((ignored, failure) -> mine.settle(failure));
        return mine;
    }

    @Override
    public String toString() {
        return "AsyncDropScope[size=" + this.owned.size() + (dropBegan() ? ", dropping]" : "]");
    }

    private <T extends AsyncDroppable> AsyncDropGuard<T> join(T resource) {
        AsyncDropGuard<T> guard = AsyncDropGuard.owned(resource, this.membership);
        this.owned.add(guard);
        return guard;
    }

    private boolean dropBegan() {
        AsyncDropGuard<?> guard = this.ownGuard;
        return this.drop != null || (guard != null && guard.isDropped());
    }

    private void checkOpen(String action, Object what) {
        if (dropBegan()) {
            throw new IllegalStateException("Cannot " + action + " " + what + ": the AsyncDropScope is being dropped; "
                    + "drop the resource yourself or track it in a scope that is still open");
        }
    }
}
