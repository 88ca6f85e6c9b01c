package dev.asyncdrop.benchmarks.jmh;

import java.lang.ref.Cleaner;
import java.util.concurrent.TimeUnit;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.SharedAsyncDrop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The parts of what one watched guard costs at creation, at this benchmark's stack depth, to explain the difference
 * between leak detection DISABLED and SAMPLED (where one guard in 128 pays them): the creation stack (a
 * {@code Throwable} filled in, as the leak tracker records it), the resource's description (its {@code toString()},
 * here a shared handle's), and the registration with the {@code Cleaner} and its removal when the guard is dropped;
 * and a bounded {@code StackWalker} capture for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LeakSampleBenchmark {

    private static final Cleaner CLEANER = Cleaner.create();

    private static final StackWalker WALKER = StackWalker.getInstance();

    private AsyncDropGuard<SharedAsyncDrop<GuardDropBenchmark.InstantResource>> handle =
            SharedAsyncDrop.of(AsyncDropGuard.of(new GuardDropBenchmark.InstantResource()));

    /** Creates the handle to describe without leak detection, so that only the measured parts are measured. */
    @Setup
    public void createHandle() {
        LeakDetection.setLevel(LeakDetection.Level.DISABLED);
        this.handle.asyncDrop().toCompletableFuture().join();
        this.handle = SharedAsyncDrop.of(AsyncDropGuard.of(new GuardDropBenchmark.InstantResource()));
    }

    /** Drops the handle. */
    @TearDown
    public void dropHandle() {
        this.handle.asyncDrop().toCompletableFuture().join();
    }

    /** @return a creation stack, recorded as the leak tracker records it */
    @Benchmark
    public Throwable creationStack() {
        return new Throwable("guard created here");
    }

    /**
     * @return the innermost 16 frames through a {@code StackWalker}, the bounded alternative to a {@code Throwable}
     * (not used by the library: see the benchmarks' README)
     */
    @Benchmark
    public StackWalker.StackFrame[] creationStackWalked() {
        return WALKER.walk(frames -> frames.limit(16).toArray(StackWalker.StackFrame[]::new));
    }

    /** @return a shared handle's description, as the leak tracker records it */
    @Benchmark
    public String handleDescription() {
        return String.valueOf(this.handle.get());
    }

    /** @return the object registered with and removed from a {@code Cleaner}, as a watched guard is */
    @Benchmark
    public Object cleanerRegistration() {
        Object guard = new Object();
        CLEANER.register(guard, () -> { }).clean();
        return guard;
    }
}
