package dev.asyncdrop;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Owns guards created at run time, for example prototype beans, and drops those still alive when it is dropped.
 * Create one with {@link #create()}, which returns the scope's own guard.
 * <p>
 * A guard from {@link #track} or {@link #adopt} belongs to the scope until it is dropped (or disarmed): dropping it
 * early is fine and takes it out of the scope. Whoever holds only the resource, not its guard, takes it out with
 * {@link #untrack}, which hands back a guard to drop. Dropping the scope drops every guard still owned,
 * concurrently, and completes when all those drops have finished; if any failed, it fails with an
 * {@link AsyncDropException} whose cause is the first failure, the others being suppressed on that cause. Once the
 * scope's drop has begun (the first {@code asyncDrop()} on its guard), {@code track} and {@code adopt} throw
 * {@link IllegalStateException}; a guard tracked concurrently with the drop is either dropped by the scope or
 * rejected, never lost.
 * <p>
 * Thread-safe. Tracking takes a shared lock that only the start of the scope's drop takes exclusively.
 *
 * @since 0.1.0
 */
public final class AsyncDropScope implements AsyncDroppable {

    // Keyed by the guards themselves: a set with the skeleton's admission and drop.
    private final OwnedGuards<AsyncDropGuard<?>, AsyncDropGuard<?>> owned = new OwnedGuards<>();

    // The guards call this when dropped or disarmed, whoever does it.
    private final GuardOwner membership = new Membership(this.owned);

    private AsyncDropScope() {
    }

    /**
     * Creates an empty scope.
     * @return the scope's guard; dropping it drops every guard the scope still owns
     */
    public static AsyncDropGuard<AsyncDropScope> create() {
        AsyncDropScope scope = new AsyncDropScope();
        AsyncDropGuard<AsyncDropScope> guard = AsyncDropGuard.of(scope);
        scope.owned.ownedBy(guard);
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
        if (!this.owned.beginAdmission()) {
            throw closed("track", resource);
        }
        try {
            return join(resource);
        }
        finally {
            this.owned.endAdmission();
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
        if (!this.owned.beginAdmission()) {
            throw closed("adopt", guard);
        }
        try {
            return join(guard.unsafeIntoInnerDontDrop());
        }
        finally {
            this.owned.endAdmission();
        }
    }

    /**
     * Takes a tracked resource out of the scope and hands its obligation to the caller, who must now drop the
     * returned guard (or hand it on): the scope will not drop the resource. This is the way to drop early a resource
     * that the scope tracks on your behalf without giving you its guard, such as a prototype bean that the Spring
     * Boot starter tracks: dropping the resource itself, with its own {@code asyncDrop()}, would leave it in the
     * scope, to be dropped a second time with the scope.
     * <p>
     * Looks the resource up by identity among the guards the scope owns, so it takes time in proportion to their
     * number. A resource tracked twice has two guards: each call takes one.
     * @param resource a resource tracked or adopted by this scope
     * @param <T> the type of the resource
     * @return a new armed guard for the resource, owned by the caller; empty if the scope owns no guard for it:
     * never tracked here, dropped or disarmed through its guard, untracked already, or taken by the scope's own drop
     * (which then drops it)
     */
    public <T extends AsyncDroppable> Optional<AsyncDropGuard<T>> untrack(T resource) {
        Objects.requireNonNull(resource, "'resource' must not be null");
        for (AsyncDropGuard<?> guard : this.owned.guards()) {
            // Taken out of the map first: whatever removes a guard owns it, so the scope's drop cannot take it too.
            if (guards(guard, resource) && this.owned.remove(guard, guard)) {
                try {
                    guard.unsafeIntoInnerDontDrop();
                }
                catch (IllegalStateException ex) {
                    // Dropped through the guard from track() at this very moment: its holder is dropping it.
                    continue;
                }
                return Optional.of(AsyncDropGuard.of(resource));
            }
        }
        return Optional.empty();
    }

    private static boolean guards(AsyncDropGuard<?> guard, AsyncDroppable resource) {
        try {
            return guard.get() == resource;
        }
        catch (IllegalStateException ex) {
            return false;  // dropped or disarmed since it was listed: it is leaving the scope
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
        return this.owned.drop();
    }

    @Override
    public String toString() {
        return "AsyncDropScope[size=" + this.owned.size() + (this.owned.dropBegan() ? ", dropping]" : "]");
    }

    private <T extends AsyncDroppable> AsyncDropGuard<T> join(T resource) {
        AsyncDropGuard<T> guard = AsyncDropGuard.owned(resource, this.membership);
        this.owned.putIfAbsent(guard, guard);
        return guard;
    }

    private static IllegalStateException closed(String action, Object what) {
        return new IllegalStateException("Cannot " + action + " " + what + ": the AsyncDropScope is being dropped; "
                + "drop the resource yourself or track it in a scope that is still open");
    }

    /** A named class rather than a method reference, so that the scope's guards hold no generated class. */
    private static final class Membership implements GuardOwner {

        private final OwnedGuards<AsyncDropGuard<?>, AsyncDropGuard<?>> owned;

        Membership(OwnedGuards<AsyncDropGuard<?>, AsyncDropGuard<?>> owned) {
            this.owned = owned;
        }

        @Override
        public void release(AsyncDropGuard<?> guard) {
            this.owned.remove(guard, guard);
        }
    }
}
