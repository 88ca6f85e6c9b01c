package dev.asyncdrop.benchmarks.jmh;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.SharedAsyncDrop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A shared handle, uncontended: {@code share()} a new handle and drop it while the first handle keeps the inner
 * resource alive, so that every operation is a reference count increment and decrement plus a guard.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SharedHandleBenchmark {

    /** The leak detection level during the measurement (each handle is a guard; PARANOID watches every one). */
    @Param({"DISABLED", "SAMPLED", "PARANOID"})
    public LeakDetection.Level leakDetection = LeakDetection.Level.SAMPLED;

    private AsyncDropGuard<SharedAsyncDrop<GuardDropBenchmark.InstantResource>> firstHandle =
            SharedAsyncDrop.of(AsyncDropGuard.of(new GuardDropBenchmark.InstantResource()));

    /** Sets the level for this fork and creates the handle every measured share starts from. */
    @Setup(Level.Trial)
    public void createFirstHandle() {
        LeakDetection.setLevel(leakDetection);
        firstHandle.asyncDrop().toCompletableFuture().join();
        firstHandle = SharedAsyncDrop.of(AsyncDropGuard.of(new GuardDropBenchmark.InstantResource()));
    }

    /** Drops the first handle, and with it the resource. */
    @TearDown(Level.Trial)
    public void dropFirstHandle() {
        firstHandle.asyncDrop().toCompletableFuture().join();
    }

    /** @return the drop's stage, so that the work is not eliminated */
    @Benchmark
    public CompletionStage<Void> shareAndDrop() {
        return firstHandle.get().share().asyncDrop();
    }
}
