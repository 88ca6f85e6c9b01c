package dev.asyncdrop.benchmarks.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The baselines for {@link GuardDropBenchmark} and {@link SharedHandleBenchmark}: a drop without any guard, and the
 * atomic counter updates that a guard (the live-guard counter) and a shared handle (the reference count) cannot do
 * without.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BareDropBenchmark {

    private final GuardDropBenchmark.InstantResource resource = new GuardDropBenchmark.InstantResource();

    private final LongAdder liveGuards = new LongAdder();

    private final AtomicInteger refCount = new AtomicInteger(1);

    /** @return a new completed future, as a resource that allocates its drop's stage would */
    @Benchmark
    public CompletableFuture<Void> completedFuture() {
        return CompletableFuture.completedFuture(null);
    }

    /** @return the resource's own (shared, completed) stage, called directly as the guarded benchmark's resource is */
    @Benchmark
    public CompletionStage<Void> resourceDrop() {
        return resource.asyncDrop();
    }

    /** One guard's update of the live-guard counter: an increment at creation and a decrement at the drop. */
    @Benchmark
    public void liveGuardCount() {
        this.liveGuards.increment();
        this.liveGuards.decrement();
    }

    /** @return one shared handle's reference count updates: an increment by {@code share()}, a decrement by the drop */
    @Benchmark
    public int referenceCount() {
        int current = this.refCount.get();
        this.refCount.compareAndSet(current, current + 1);
        current = this.refCount.get();
        this.refCount.compareAndSet(current, current - 1);
        return current;
    }
}
