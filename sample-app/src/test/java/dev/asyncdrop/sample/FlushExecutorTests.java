package dev.asyncdrop.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class FlushExecutorTests {

    private static final Duration GENEROUS = Duration.ofMinutes(1);

    private final FlushExecutor executor = new FlushExecutor("test-flush-executor");

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopExecutor() {
        this.release.countDown();
        this.executor.onDropTimeout();
    }

    @Test
    void theDropLetsQueuedTasksRunAndCompletesOnceTheThreadHasTerminated() {
        AtomicBoolean queuedTaskRan = new AtomicBoolean();
        this.executor.execute(this::awaitRelease);
        this.executor.execute(() -> queuedTaskRan.set(true));

        CompletableFuture<Void> drop = this.executor.asyncDrop().toCompletableFuture();

        assertThat(drop).isNotDone();
        this.release.countDown();
        assertThat(drop).succeedsWithin(GENEROUS);
        assertThat(queuedTaskRan).isTrue();
        // The stage completes from the executor's terminated() hook, which runs just before the executor reports
        // itself terminated.
        await().atMost(GENEROUS).until(this.executor::isTerminated);
    }

    @Test
    void tasksAreRefusedOnceTheDropHasStarted() {
        this.executor.asyncDrop();

        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> this.executor.execute(() -> {
        }));
        assertThatExceptionOfType(RejectedExecutionException.class)
            .isThrownBy(() -> this.executor.scheduleWithFixedDelay(() -> {
            }, Duration.ofSeconds(1)));
    }

    @Test
    void aPeriodicTaskIsNotRepeatedAfterTheDrop() {
        this.executor.scheduleWithFixedDelay(() -> {
        }, Duration.ofHours(1));

        assertThat(this.executor.asyncDrop().toCompletableFuture()).succeedsWithin(GENEROUS);
    }

    @Test
    void aTimeoutInterruptsTheRunningTaskAndTheDropCompletes() throws InterruptedException {
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        this.executor.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(1, TimeUnit.HOURS);
            }
            catch (InterruptedException ex) {
                interrupted.set(true);
            }
        });
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        CompletableFuture<Void> drop = this.executor.asyncDrop().toCompletableFuture();

        this.executor.onDropTimeout();

        assertThat(drop).succeedsWithin(GENEROUS);
        assertThat(interrupted).isTrue();
    }

    private void awaitRelease() {
        try {
            this.release.await(1, TimeUnit.MINUTES);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
