package dev.asyncdrop;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.asyncdrop.AsyncDropGuardLincheckTests.CountingResource;

/**
 * Model-checks tracking, adopting and untracking against the scope's drop: results are linearizable, and every
 * resource ends up with exactly one owner, so that once the scope has been dropped every resource is dropped exactly
 * once.
 */
@ExtendWith(WithoutLeakDetection.class)
public class AsyncDropScopeLincheckTests {

    private final AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();

    private final AsyncDropScope scope = this.scopeGuard.get();

    private final Queue<CountingResource> resources = new ConcurrentLinkedQueue<>();

    @Operation
    public String track() {
        CountingResource resource = new CountingResource();
        this.resources.add(resource);
        try {
            this.scope.track(resource);
            return "tracked";
        }
        catch (IllegalStateException scopeIsDropping) {
            AsyncDropGuard.of(resource).asyncDrop();
            return "rejected";
        }
    }

    @Operation
    public String trackAndDrop() {
        CountingResource resource = new CountingResource();
        this.resources.add(resource);
        try {
            this.scope.track(resource).asyncDrop();
            return "tracked";
        }
        catch (IllegalStateException scopeIsDropping) {
            AsyncDropGuard.of(resource).asyncDrop();
            return "rejected";
        }
    }

    @Operation
    public String trackAndUntrack() {
        CountingResource resource = new CountingResource();
        this.resources.add(resource);
        try {
            this.scope.track(resource);
        }
        catch (IllegalStateException scopeIsDropping) {
            AsyncDropGuard.of(resource).asyncDrop();
            return "rejected";
        }
        return this.scope.untrack(resource).map(guard -> {
            guard.asyncDrop();
            return "untracked";
        }).orElse("taken by the scope's drop");
    }

    @Operation
    public String adopt() {
        CountingResource resource = new CountingResource();
        this.resources.add(resource);
        AsyncDropGuard<CountingResource> guard = AsyncDropGuard.of(resource);
        try {
            this.scope.adopt(guard);
            return "adopted";
        }
        catch (IllegalStateException scopeIsDropping) {
            guard.asyncDrop();
            return "rejected";
        }
    }

    @Operation
    public void dropScope() {
        this.scopeGuard.asyncDrop();
    }

    @Validate
    public void everyResourceHasExactlyOneOwner() {
        int undropped = 0;
        for (CountingResource resource : this.resources) {
            int drops = resource.drops.get();
            if (drops > 1) {
                throw new AssertionError("a resource was dropped " + drops + " times");
            }
            undropped += 1 - drops;
        }
        if (undropped != this.scope.size()) {
            throw new AssertionError(undropped + " resources are undropped but the scope owns " + this.scope.size());
        }
        if (this.scopeGuard.isDropped() && undropped != 0) {
            throw new AssertionError(undropped + " resources were lost: the scope was dropped but they were not");
        }
    }

    @Test
    void everyInterleavingOfTracksWithTheDropKeepsOneOwnerPerResource() {
        new ModelCheckingOptions().iterations(4).invocationsPerIteration(40).threads(2).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(0).check(getClass());
    }
}
