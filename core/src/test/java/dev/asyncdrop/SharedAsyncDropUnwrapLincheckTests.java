package dev.asyncdrop;


import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.asyncdrop.AsyncDropGuardLincheckTests.CountingResource;

/**
 * Model-checks {@link SharedAsyncDrop#tryUnwrap()} where it is hardest: two handles, each unwrapped while it is
 * dropped from another thread. A handle's drop and its unwrap decide on the handle's guard, so exactly one of them
 * wins, and an unwrap never takes the reference of the other handle: once every operation has returned, the count
 * equals the handles still armed, and the resource has exactly one owner (the unwrapping operation drops it at once).
 * <p>
 * The operations answer nothing: a handle's drop begins (its guard answers "dropped") a moment before its reference
 * is released, as the guard documents, so results observed across two handles need not be linearizable. The
 * invariants are checked instead.
 */
@ExtendWith(WithoutLeakDetection.class)
public class SharedAsyncDropUnwrapLincheckTests {

    private final CountingResource resource = new CountingResource();

    private final AsyncDropGuard<SharedAsyncDrop<CountingResource>> first =
            handOn(SharedAsyncDrop.of(AsyncDropGuard.of(this.resource)));

    private final SharedAsyncDrop<CountingResource> shared = this.first.get();

    private volatile boolean unwrapRefusedAnArmedHandle;

    private final AsyncDropGuard<SharedAsyncDrop<CountingResource>> second = this.shared.share();

    /**
     * @param handle the first handle as created
     * @return the guard the first handle is used through: here the one it was created with
     */
    protected AsyncDropGuard<SharedAsyncDrop<CountingResource>> handOn(
            AsyncDropGuard<SharedAsyncDrop<CountingResource>> handle) {
        return handle;
    }

    @Operation(nonParallelGroup = "drop first")
    public void dropFirst() {
        drop(this.first);
    }

    @Operation(nonParallelGroup = "unwrap first")
    public void unwrapFirst() {
        unwrap(this.first);
    }

    @Operation(nonParallelGroup = "drop second")
    public void dropSecond() {
        drop(this.second);
    }

    @Operation(nonParallelGroup = "unwrap second")
    public void unwrapSecond() {
        unwrap(this.second);
    }

    @Validate
    public void everyArmedHandleIsCountedAndTheResourceHasExactlyOneOwner() {
        if (this.unwrapRefusedAnArmedHandle) {
            throw new AssertionError("tryUnwrap() threw for a handle that was neither dropped nor unwrapped");
        }
        int armed = (isArmed(this.first) ? 1 : 0) + (isArmed(this.second) ? 1 : 0);
        if (this.shared.refCount() != armed) {
            throw new AssertionError(armed + " handles are armed but the count is " + this.shared.refCount());
        }
        int expectedDrops = (armed == 0) ? 1 : 0;
        if (this.resource.drops.get() != expectedDrops) {
            throw new AssertionError("resource dropped " + this.resource.drops + " times with " + armed
                    + " handles armed");
        }
    }

    private static boolean isArmed(AsyncDropGuard<?> handle) {
        return !handle.isDropped() && !handle.isDisarmed();
    }

    @Test
    void aHandlesUnwrapAndItsDropNeverBothWinAndNeverTakeAnotherHandlesReference() {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(100).threads(2).actorsPerThread(2)
                .actorsBefore(0).actorsAfter(0).check(getClass());
    }

    private static void drop(AsyncDropGuard<SharedAsyncDrop<CountingResource>> handle) {
        try {
            handle.asyncDrop();
        }
        catch (IllegalStateException unwrappedFirst) {
            // the unwrap won: the handle was disarmed
        }
    }

    private void unwrap(AsyncDropGuard<SharedAsyncDrop<CountingResource>> handle) {
        try {
            handle.get().tryUnwrap().ifPresent(AsyncDropGuard::asyncDrop);
        }
        catch (IllegalStateException droppedFirst) {
            // The drop won, or an earlier unwrap did; either is final. Anything else decided on the wrong guard.
            if (!handle.isDropped() && !handle.isDisarmed()) {
                this.unwrapRefusedAnArmedHandle = true;
            }
        }
    }
}
