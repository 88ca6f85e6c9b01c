package dev.asyncdrop.benchmarks.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a guard costs: create a guard around a resource and drop it, at each leak detection level. Compare with
 * {@link BareDropBenchmark}, the same drop without a guard. Each level runs in its own fork, so setting the global
 * level in the setup is safe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GuardDropBenchmark {

    /** The leak detection level during the measurement. */
    @Param({"DISABLED", "SAMPLED", "PARANOID"})
    public LeakDetection.Level leakDetection = LeakDetection.Level.SAMPLED;

    private final InstantResource resource = new InstantResource();

    /** Sets the level for this fork. */
    @Setup(Level.Trial)
    public void setLeakDetectionLevel() {
        LeakDetection.setLevel(leakDetection);
    }

    /** @return the drop's stage, so that the work is not eliminated */
    @Benchmark
    public CompletionStage<Void> createAndDrop() {
        return AsyncDropGuard.of(resource).asyncDrop();
    }

    /** A resource whose drop has already completed, so that only the guard is measured. */
    static final class InstantResource implements AsyncDroppable {

        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> asyncDrop() {
            return DONE;
        }
    }
}
