package dev.asyncdrop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.ReadOnlyFuture;

/**
 * Shares one guarded resource between several owners, each holding its own handle: the JVM counterpart of Rust's
 * {@code AsyncDropArc}. Every handle is an {@code AsyncDropGuard<SharedAsyncDrop<T>>} and must be dropped; the drop
 * of the last handle drops the inner resource, and that handle's stage completes when the inner drop does. The
 * other handles' drops complete at once. Alternatively, the last handle can take the inner guard back with
 * {@link #tryUnwrap()} (Rust's {@code Arc::into_inner}), which disarms the handle instead of dropping the resource.
 *
 * <pre>{@code
 * AsyncDropGuard<SharedAsyncDrop<Pool>> first = SharedAsyncDrop.of(AsyncDropGuard.of(new Pool()));
 * AsyncDropGuard<SharedAsyncDrop<Pool>> second = first.get().share();
 * second.asyncDrop();                        // the pool stays: first still holds it
 * AsyncDropGuard<Pool> pool = first.get().tryUnwrap().orElseThrow();
 * // first was the last handle: it is disarmed, and the pool's guard is the caller's to drop
 * pool.asyncDrop();
 * }</pre>
 * <p>
 * The handles share one reference count, an {@code int} updated by compare-and-set, and zero is terminal: once the
 * last handle is dropped (or unwrapped), {@link #share()} fails, so the inner resource is dropped exactly once, or
 * handed back exactly once, under any interleaving of {@code share()}, drops and {@code tryUnwrap()}. Each handle's
 * guard holds its own {@code SharedAsyncDrop} object, a view of the shared count and resource, so that
 * {@code tryUnwrap()} knows which handle it is called through; a handle's view moved to a new guard (with
 * {@code unsafeMap(Function.identity())}, say) unwraps through that new guard. Drop handles only through their
 * guards; calling {@link #asyncDrop()} on this object directly would release a reference no handle gave up.
 * <p>
 * Thread-safe.
 *
 * @param <T> the type of the shared resource
 * @since 0.1.0
 */
public final class SharedAsyncDrop<T extends AsyncDroppable> implements AsyncDroppable {

    private final Shared<T> shared;

    private static final VarHandle HANDLE;

    static {
        try {
            HANDLE = MethodHandles.lookup().findVarHandle(SharedAsyncDrop.class, "handle", AsyncDropGuard.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // This handle's current guard: set as each guard that holds this view is created, before anyone else can see
    // that guard. A guard that unsafeMap() or unsafeIntoInnerDontDrop() disarmed gives way to the next one. Written
    // with release and read with acquire semantics: whoever sees a guard sees its handle recorded, without the full
    // fence a volatile write costs every share().
    private @Nullable AsyncDropGuard<SharedAsyncDrop<T>> handle;

    private SharedAsyncDrop(Shared<T> shared) {
        this.shared = shared;
    }

    /**
     * Takes ownership of a guard and returns the first handle to it.
     * @param inner the guard to share; it belongs to the handles from now on
     * @param <T> the type of the resource
     * @return the first handle
     * @throws IllegalStateException if {@code inner} is already dropped or disarmed
     */
    public static <T extends AsyncDroppable> AsyncDropGuard<SharedAsyncDrop<T>> of(AsyncDropGuard<T> inner) {
        Objects.requireNonNull(inner, "'inner' must not be null");
        inner.get();  // fails fast on a guard that can no longer be shared
        return new Shared<>(inner).newHandle();
    }

    /**
     * Returns a new handle to the shared resource, which must be dropped like any other.
     * @return a new handle
     * @throws IllegalStateException once the last handle has been dropped (the inner drop began) or unwrapped
     */
    public AsyncDropGuard<SharedAsyncDrop<T>> share() {
        this.shared.acquire();
        return this.shared.newHandle();
    }

    /**
     * Returns the shared resource.
     * @return the resource
     * @throws IllegalStateException once the inner drop began, or the last handle was unwrapped
     */
    public T get() {
        // The count leaves the live range just before the inner guard's drop starts: from then on, get() fails too.
        this.shared.requireLive("get the resource of");
        return this.shared.inner.get();
    }

    /** @return how many handles are alive; {@code 0} once the inner drop began or the last handle was unwrapped */
    public int refCount() {
        return Math.max(0, this.shared.refCount);
    }

    /**
     * Hands the inner guard back if the handle this is called through is the only one left: the handle is disarmed
     * (it must not be dropped, and leak detection stops watching it), no handle can be shared from now on, and the
     * caller owns the returned guard and must drop it. Otherwise nothing changes. Like Rust's
     * {@code Arc::into_inner}: call it as {@code handle.get().tryUnwrap()}.
     * <p>
     * Taking the count and disarming the handle are one step: a concurrent {@code share()} either happens before it,
     * and this call answers empty, or fails; a concurrent drop of the same handle either happens before it, and this
     * call throws, or waits for it and then fails.
     * @return the inner guard, now the caller's, when this was the last handle; otherwise empty
     * @throws IllegalStateException if the handle this is called through has already been dropped or disarmed
     * @since 0.1.0
     */
    public Optional<AsyncDropGuard<T>> tryUnwrap() {
        @SuppressWarnings("unchecked")
        AsyncDropGuard<SharedAsyncDrop<T>> own = (AsyncDropGuard<SharedAsyncDrop<T>>) HANDLE.getAcquire(this);
        if (own == null) {
            // Only a handle handed to another thread without a happens-before edge can look like this: decline.
            return Optional.empty();
        }
        return own.disarmIf(this.shared::takeLast, "tryUnwrap()") ? Optional.of(this.shared.inner) : Optional.empty();
    }

    /**
     * Records the guard that holds this handle now: the first guard, or one that took over from a guard that was
     * disarmed (by {@code unsafeMap(Function.identity())}, or {@code unsafeIntoInnerDontDrop()} and
     * {@code AsyncDropGuard.of}). A second guard while the current one is armed or dropped changes nothing: only
     * the guard that holds the handle's reference may unwrap it.
     * @param guard a guard just created for this handle, not yet seen by anyone else
     */
    void heldBy(AsyncDropGuard<?> guard) {
        AsyncDropGuard<?> current = (AsyncDropGuard<?>) HANDLE.getAcquire(this);
        if (current == null || current.isDisarmed()) {
            HANDLE.setRelease(this, guard);
        }
    }

    /**
     * Releases one handle's reference; called by a handle's guard, once per handle. The last release drops the
     * inner resource and returns its stage.
     * @return the inner drop's stage for the last handle, a completed stage for the others
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        return this.shared.release();
    }

    @Override
    public String toString() {
        return "SharedAsyncDrop[" + this.shared.inner + ", refCount=" + refCount() + ']';
    }

    /** The state every handle of one resource shares: the inner guard and the reference count. */
    private static final class Shared<T extends AsyncDroppable> {

        private static final VarHandle REF_COUNT;

        static {
            try {
                REF_COUNT = MethodHandles.lookup().findVarHandle(Shared.class, "refCount", int.class);
            }
            catch (ReflectiveOperationException ex) {
                throw new ExceptionInInitializerError(ex);
            }
        }

        // The count once tryUnwrap() took the inner guard out; like zero, it is terminal.
        private static final int UNWRAPPED = -1;

        final AsyncDropGuard<T> inner;

        volatile int refCount = 1;

        Shared(AsyncDropGuard<T> inner) {
            this.inner = inner;
        }

        AsyncDropGuard<SharedAsyncDrop<T>> newHandle() {
            // The guard registers itself as the view's handle.
            return AsyncDropGuard.of(new SharedAsyncDrop<>(this));
        }

        void acquire() {
            int current;
            do {
                current = this.refCount;
                requireLive(current, "share");
                if (current == Integer.MAX_VALUE) {
                    throw new IllegalStateException("Cannot share " + this.inner + ": too many handles are alive");
                }
            }
            while (!REF_COUNT.compareAndSet(this, current, current + 1));
        }

        /** @return whether this took the last reference, which then belongs to whoever called it */
        boolean takeLast() {
            return REF_COUNT.compareAndSet(this, 1, UNWRAPPED);
        }

        CompletionStage<Void> release() {
            int current;
            do {
                current = this.refCount;
                if (current <= 0) {
                    return CompletableFuture.failedFuture(new IllegalStateException("More handle drops than handles "
                            + "for " + this.inner + "; drop handles only through their AsyncDropGuard"));
                }
            }
            while (!REF_COUNT.compareAndSet(this, current, current - 1));
            return (current == 1) ? this.inner.asyncDrop() : ReadOnlyFuture.succeeded();
        }

        void requireLive(String action) {
            requireLive(this.refCount, action);
        }

        private void requireLive(int count, String action) {
            if (count == 0) {
                throw new IllegalStateException("Cannot " + action + " " + this.inner
                        + ": every handle has been dropped and the shared resource is being dropped");
            }
            if (count == UNWRAPPED) {
                throw new IllegalStateException("Cannot " + action + " " + this.inner + ": its last handle took it "
                        + "back with tryUnwrap(); use the guard that returned");
            }
        }
    }
}
