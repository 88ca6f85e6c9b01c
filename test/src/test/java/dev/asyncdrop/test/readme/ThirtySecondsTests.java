package dev.asyncdrop.test.readme;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDrop;
import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.test.DetectLeaks;
import dev.asyncdrop.test.DropAssertions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's "30 seconds" as written: {@link Workers}, and the statements of
 * {@link #theExampleRunsAsWritten()} between the console capture and the checks, word for word.
 */
@DetectLeaks
class ThirtySecondsTests {

    @Test
    void theExampleRunsAsWritten() {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // Own it through a guard: dropping it is explicit, forgetting to is reported (leak detection).
            AsyncDropGuard<Workers> workers = AsyncDropGuard.of(new Workers(4));

            // Use it and have it dropped on every path: success, failure, exception, cancellation.
            CompletableFuture<Integer> answer = AsyncDrop.using(workers,
                    w -> CompletableFuture.supplyAsync(() -> 42, w));

            // Many resources: each dropped after what uses it, in parallel where the graph allows, bounded in time.
            Workers writer = new Workers(1);                     // its tasks use the two below: dropped first
            Workers executor = new Workers(4);
            Workers pool = new Workers(2);
            DropReport report = DropPlan.builder()
                    .defaultPhaseTimeout(Duration.ofSeconds(20))
                    .add("writer", writer, n -> n.dependsOn("executor", "pool"))
                    .add("executor", executor)
                    .add("pool", pool)
                    .build()
                    .execute()
                    .join();
            System.out.println(report.toText());                 // a table and a timeline, one bar per resource

            assertThat(answer.join()).isEqualTo(42);
            assertThat(workers.isDropped()).isTrue();
            DropAssertions.assertThat(report).hasNoFailures()
                .droppedBefore("writer", "executor")
                .droppedBefore("writer", "pool");
            assertThat(writer.isTerminated() && executor.isTerminated() && pool.isTerminated()).isTrue();
        }
        finally {
            System.setOut(console);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("writer", "executor", "pool");
    }

    @Test
    void aDropCompletesOnThePoolsOwnLastThreadWithoutParkingAnother() throws Exception {
        Workers workers = new Workers(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> taskThread = new AtomicReference<>();
        workers.execute(() -> {
            taskThread.set(Thread.currentThread().getName());
            awaitQuietly(release);
        });

        CompletionStage<Void> drop = workers.asyncDrop();
        AtomicReference<String> completingThread = new AtomicReference<>();
        CompletableFuture<Void> completed = drop
            .thenRun(() -> completingThread.set(Thread.currentThread().getName()))
            .toCompletableFuture();

        assertThat(completed).isNotDone();
        release.countDown();
        completed.get(30, TimeUnit.SECONDS);
        assertThat(completingThread.get()).isEqualTo(taskThread.get());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
