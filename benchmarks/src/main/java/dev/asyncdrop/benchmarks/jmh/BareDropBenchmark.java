package dev.asyncdrop.benchmarks.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The baselines for {@link GuardDropBenchmark}: a drop without any guard.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BareDropBenchmark {

    private final GuardDropBenchmark.InstantResource resource = new GuardDropBenchmark.InstantResource();

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
}
