package dev.asyncdrop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Model-checks the guard's state machine: every interleaving of drops, disarms and reads that Lincheck explores
 * must be linearizable against running the same operations one after another, and the resource must be dropped
 * exactly when some drop won.
 */
@ExtendWith(WithoutLeakDetection.class)
public class AsyncDropGuardLincheckTests {

    private final CountingResource resource = new CountingResource();

    private final AsyncDropGuard<CountingResource> guard = AsyncDropGuard.of(this.resource);

    @Operation
    public String asyncDrop() {
        this.guard.asyncDrop();
        return "dropping";
    }

    @Operation
    public boolean isDropped() {
        return this.guard.isDropped();
    }

    @Operation
    public String get() {
        return this.guard.get().toString();
    }

    @Operation
    public String disarm() {
        return this.guard.unsafeIntoInnerDontDrop().toString();
    }

    @Validate
    public void droppedExactlyOnceIfADropWon() {
        int expected = this.guard.isDropped() ? 1 : 0;
        if (this.resource.drops.get() != expected) {
            throw new AssertionError("resource dropped " + this.resource.drops + " times; expected " + expected);
        }
    }

    @Test
    void everyInterleavingIsLinearizableAndDropsAtMostOnce() {
        new ModelCheckingOptions().iterations(10).invocationsPerIteration(100).threads(3).actorsPerThread(2)
                .actorsBefore(0).actorsAfter(1).check(getClass());
    }

    static final class CountingResource implements AsyncDroppable {

        final AtomicInteger drops = new AtomicInteger();

        @Override
        public CompletionStage<Void> asyncDrop() {
            this.drops.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "resource";
        }
    }
}
