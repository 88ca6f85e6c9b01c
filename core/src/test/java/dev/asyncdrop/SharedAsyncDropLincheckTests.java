package dev.asyncdrop;

import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.asyncdrop.AsyncDropGuardLincheckTests.CountingResource;

/**
 * Model-checks the shared handle's reference count: sharing, reading, dropping and unwrapping handles (three to
 * start with) in any interleaving is linearizable, and the inner resource is dropped exactly when the count reached
 * zero, never twice, whether the last handle's drop dropped it or an unwrap handed it back (the unwrapping operation
 * drops it at once).
 * <p>
 * Each handle is dropped from one thread only: a guard's concurrent second {@code asyncDrop()} returns the shared
 * stage, possibly before the winning thread has released the reference, so its effects are only promised once that
 * stage completes. The guard's own race is model-checked in {@link AsyncDropGuardLincheckTests}, and an unwrap
 * racing the same handle's drop in {@link SharedAsyncDropUnwrapLincheckTests}.
 */
@ExtendWith(WithoutLeakDetection.class)
public class SharedAsyncDropLincheckTests {

    private final CountingResource resource = new CountingResource();

    private final AsyncDropGuard<SharedAsyncDrop<CountingResource>> first =
            SharedAsyncDrop.of(AsyncDropGuard.of(this.resource));

    private final SharedAsyncDrop<CountingResource> shared = this.first.get();

    private final AsyncDropGuard<SharedAsyncDrop<CountingResource>> second = this.shared.share();

    private final AsyncDropGuard<SharedAsyncDrop<CountingResource>> third = this.shared.share();

    // Handles shared during the run; kept alive so that the count can also stay above zero.
    private final Queue<AsyncDropGuard<SharedAsyncDrop<CountingResource>>> kept = new ConcurrentLinkedQueue<>();

    @Operation(nonParallelGroup = "first")
    public void dropFirst() {
        this.first.asyncDrop();
    }

    @Operation(nonParallelGroup = "second")
    public void dropSecond() {
        this.second.asyncDrop();
    }

    @Operation(nonParallelGroup = "third")
    public void dropThird() {
        this.third.asyncDrop();
    }

    @Operation(nonParallelGroup = "first")
    public String unwrapFirst() {
        try {
            Optional<AsyncDropGuard<CountingResource>> inner = this.first.get().tryUnwrap();
            if (inner.isEmpty()) {
                return "not the last";
            }
            inner.get().asyncDrop();
            return "unwrapped";
        }
        catch (IllegalStateException dropped) {
            return "gone";
        }
    }

    @Operation
    public String share() {
        this.kept.add(this.shared.share());
        return "shared";
    }

    @Operation
    public String get() {
        return this.shared.get().toString();
    }

    @Operation
    public int refCount() {
        return this.shared.refCount();
    }

    @Validate
    public void innerDroppedExactlyWhenNoHandleIsLeft() {
        int expected = (this.shared.refCount() == 0) ? 1 : 0;
        if (this.resource.drops.get() != expected) {
            throw new AssertionError("inner resource dropped " + this.resource.drops + " times with refCount "
                    + this.shared.refCount());
        }
    }

    @Test
    void everyInterleavingOfSharesDropsAndUnwrapsIsLinearizableAndDropsTheInnerOnce() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(80).threads(3).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(1).check(getClass());
    }
}
