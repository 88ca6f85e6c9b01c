package dev.asyncdrop;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.asyncdrop.AsyncDropGuardLincheckTests.CountingResource;

/**
 * Model-checks inserts and removes against the map's drop. Every value ends up with exactly one owner: once the
 * map's drop has run, every value is dropped exactly once, whether by the map or by whoever got it back.
 * {@code remove} returns nothing here because, by design, a remove that overlaps the drop may still take a value
 * out (its caller then owns it); only ownership is checked for it.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:2")
@ExtendWith(WithoutLeakDetection.class)
public class AsyncDropMapLincheckTests {

    private final AsyncDropGuard<AsyncDropMap<Integer, CountingResource>> mapGuard = AsyncDropMap.create();

    private final AsyncDropMap<Integer, CountingResource> map = this.mapGuard.get();

    private final Queue<CountingResource> resources = new ConcurrentLinkedQueue<>();

    @Operation
    public String tryInsert(@Param(name = "key") int key) {
        CountingResource resource = new CountingResource();
        this.resources.add(resource);
        AsyncDropGuard<CountingResource> guard = AsyncDropGuard.of(resource);
        try {
            AsyncDropGuard<CountingResource> taken = this.map.tryInsert(key, guard);
            if (taken == null) {
                return "inserted";
            }
            taken.asyncDrop();
            return "key taken";
        }
        catch (IllegalStateException mapIsDropping) {
            guard.asyncDrop();
            return "rejected";
        }
    }

    @Operation
    public void remove(@Param(name = "key") int key) {
        AsyncDropGuard<CountingResource> removed = this.map.remove(key);
        if (removed != null) {
            removed.asyncDrop();
        }
    }

    @Operation
    public void dropMap() {
        this.mapGuard.asyncDrop();
    }

    @Validate
    public void everyValueHasExactlyOneOwner() {
        int undropped = 0;
        for (CountingResource resource : this.resources) {
            int drops = resource.drops.get();
            if (drops > 1) {
                throw new AssertionError("a value was dropped " + drops + " times");
            }
            undropped += 1 - drops;
        }
        if (undropped != this.map.size()) {
            throw new AssertionError(undropped + " values are undropped but the map holds " + this.map.size());
        }
        if (this.mapGuard.isDropped() && undropped != 0) {
            throw new AssertionError(undropped + " values were lost: the map was dropped but they were not");
        }
    }

    @Test
    void everyInterleavingOfInsertsAndRemovesWithTheDropKeepsOneOwnerPerValue() {
        new ModelCheckingOptions().iterations(6).invocationsPerIteration(60).threads(3).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(0).check(getClass());
    }
}
