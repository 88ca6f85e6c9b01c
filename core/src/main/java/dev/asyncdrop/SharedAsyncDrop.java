package dev.asyncdrop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Shares one guarded resource between several owners, each holding its own handle: the JVM counterpart of Rust's
 * {@code AsyncDropArc}. Every handle is an {@code AsyncDropGuard<SharedAsyncDrop<T>>} and must be dropped; the drop
 * of the last handle drops the inner resource, and that handle's stage completes when the inner drop does. The
 * other handles' drops complete at once.
 * <p>
 * The reference count is an {@code int} updated by compare-and-set, and zero is terminal: once the last handle is
 * dropped, {@link #share()} fails, so the inner resource is dropped exactly once under any interleaving of
 * {@code share()} and drops. Drop handles only through their guards; calling {@link #asyncDrop()} on this object
 * directly would release a reference no handle gave up.
 * <p>
 * Thread-safe.
 *
 * @param <T> the type of the shared resource
 * @since 0.1.0
 */
public final class SharedAsyncDrop<T extends AsyncDroppable> implements AsyncDroppable {

    private static final VarHandle REF_COUNT;

    static {
        try {
            REF_COUNT = MethodHandles.lookup().findVarHandle(SharedAsyncDrop.class, "refCount", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AsyncDropGuard<T> inner;

    private volatile int refCount = 1;

    private SharedAsyncDrop(AsyncDropGuard<T> inner) {
        this.inner = inner;
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
        return AsyncDropGuard.of(new SharedAsyncDrop<>(inner));
    }

    /**
     * Returns a new handle to the shared resource, which must be dropped like any other.
     * @return a new handle
     * @throws IllegalStateException once the last handle has been dropped (the inner drop began)
     */
    public AsyncDropGuard<SharedAsyncDrop<T>> share() {
        int current;
        do {
            current = this.refCount;
            if (current == 0) {
                throw new IllegalStateException("Cannot share " + this.inner
                        + ": every handle has been dropped and the shared resource is being dropped");
            }
            if (current == Integer.MAX_VALUE) {
                throw new IllegalStateException("Cannot share " + this.inner + ": too many handles are alive");
            }
        }
        while (!REF_COUNT.compareAndSet(this, current, current + 1));
        return AsyncDropGuard.of(this);
    }

    /**
     * Returns the shared resource.
     * @return the resource
     * @throws IllegalStateException once the inner drop began
     */
    public T get() {
        // The count reaches zero just before the inner guard's drop starts: from then on, get() must fail as well.
        if (this.refCount == 0) {
            throw new IllegalStateException("Cannot get the resource of " + this.inner
                    + ": every handle has been dropped and the shared resource is being dropped");
        }
        return this.inner.get();
    }

    /** @return how many handles are alive; {@code 0} once the inner drop began */
    public int refCount() {
        return this.refCount;
    }

    /**
     * Releases one handle's reference; called by a handle's guard, once per handle. The last release drops the
     * inner resource and returns its stage.
     * @return the inner drop's stage for the last handle, a completed stage for the others
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        int current;
        do {
            current = this.refCount;
            if (current == 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("More handle drops than handles for "
                        + this.inner + "; drop handles only through their AsyncDropGuard"));
            }
        }
        while (!REF_COUNT.compareAndSet(this, current, current - 1));
        return (current == 1) ? this.inner.asyncDrop() : CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return "SharedAsyncDrop[" + this.inner + ", refCount=" + this.refCount + ']';
    }
}
