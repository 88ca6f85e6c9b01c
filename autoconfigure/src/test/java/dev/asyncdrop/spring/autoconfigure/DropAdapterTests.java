package dev.asyncdrop.spring.autoconfigure;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.spring.BeanDropCoordinator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Beans that do not implement {@code AsyncDroppable} join the plan when an adapter is enabled: executor services,
 * and named {@code AutoCloseable} beans such as connection pools.
 */
@ExtendWith(OutputCaptureExtension.class)
class DropAdapterTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withBean(DropEvents.class)
        .withBean(ReportCapture.class);

    @Test
    void executorServicesAreNotDroppedUnlessEnabled() {
        contextRunner.withUserConfiguration(ExecutorConfiguration.class).run(context -> {
            assertThat(context.getBean(BeanDropCoordinator.class).plan().orElseThrow().resource("workers")).isEmpty();
        });
    }

    @Test
    void anExecutorServiceIsShutDownAndAwaitedAfterTheBeansThatUseIt() {
        contextRunner.withUserConfiguration(ExecutorConfiguration.class)
            .withPropertyValues("async-drop.adapters.executor-services=true")
            .run(context -> {
                ExecutorService workers = context.getBean("workers", ExecutorService.class);
                DropEvents events = context.getBean(DropEvents.class);
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("workers", DropOutcome.DROPPED)
                    .containsEntry("producer", DropOutcome.DROPPED);
                assertThat(events.list()).containsExactly("start:producer", "flushed:producer");
                assertThat(reports.records().get("workers").startOffset())
                    .isGreaterThanOrEqualTo(reports.records().get("producer").endOffset());
                assertThat(workers.isTerminated()).isTrue();
            });
    }

    @Test
    void anExecutorServiceThatDoesNotTerminateInTimeIsShutDownNow(CapturedOutput output) throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        stuck.execute(() -> {
            try {
                Thread.sleep(60_000);
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
            }
        });
        contextRunner.withBean("stuck", ExecutorService.class, () -> stuck)
            .withPropertyValues("async-drop.adapters.executor-services=true",
                    "async-drop.resources.stuck.timeout=200ms")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("stuck", DropOutcome.TIMED_OUT);
                assertThat(output).contains("Gave up waiting for bean 'stuck' to drop after");
            });
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stuck.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aNamedAutoCloseableIsClosedOnADropThreadAfterTheBeansThatUseIt() {
        contextRunner.withUserConfiguration(CloseableConfiguration.class)
            .withPropertyValues("async-drop.adapters.auto-closeables=connectionPool")
            .run(context -> {
                CountingPool pool = context.getBean(CountingPool.class);
                DropEvents events = context.getBean(DropEvents.class);
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("connectionPool", DropOutcome.DROPPED);
                assertThat(events.list()).startsWith("start:writer", "end:writer", "close:connectionPool");
                assertThat(pool.closingThread).startsWith("async-drop-blocking-");
                // Spring's inferred destroy method does not close it a second time.
                assertThat(pool.closes).hasValue(1);
            });
    }

    @Test
    void anAutoCloseableThatBlocksTooLongTimesOutAndIsInterrupted(CapturedOutput output) throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        AutoCloseable blocking = () -> {
            closes.incrementAndGet();
            try {
                Thread.sleep(60_000);
            }
            catch (InterruptedException ex) {
                interrupted.countDown();
            }
        };
        contextRunner.withBean("blockingPool", AutoCloseable.class, () -> blocking)
            .withPropertyValues("async-drop.adapters.auto-closeables=blockingPool",
                    "async-drop.resources.blockingPool.timeout=200ms")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("blockingPool", DropOutcome.TIMED_OUT);
                assertThat(output).contains("Gave up waiting for bean 'blockingPool' to drop after");
            });
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closes).hasValue(1);
    }

    @Test
    void aCloseThatNeverReturnsIsCalledOnceAndTheContextStillCloses(CapturedOutput output)
            throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger closes = new AtomicInteger();
        AutoCloseable stuck = () -> {
            closes.incrementAndGet();
            // Ignores interrupts, as a close() stuck in native code does.
            while (true) {
                try {
                    never.await();
                    return;
                }
                catch (InterruptedException ex) {
                    // Keep waiting.
                }
            }
        };
        CountDownLatch closed = new CountDownLatch(1);
        try {
            contextRunner.withBean("stuckPool", AutoCloseable.class, () -> stuck)
                .withPropertyValues("async-drop.adapters.auto-closeables=stuckPool",
                        "async-drop.resources.stuckPool.timeout=200ms")
                .run(context -> {
                    ReportCapture reports = context.getBean(ReportCapture.class);
                    // On its own thread, so that a regression fails this test instead of hanging the build.
                    Thread closer = new Thread(() -> {
                        context.close();
                        closed.countDown();
                    });
                    closer.setDaemon(true);
                    closer.start();
                    assertThat(closed.await(30, TimeUnit.SECONDS)).as("context closed").isTrue();
                    assertThat(reports.outcomes()).containsEntry("stuckPool", DropOutcome.TIMED_OUT);
                    assertThat(output).contains("Gave up waiting for bean 'stuckPool' to drop after");
                });
            assertThat(closes).hasValue(1);
        }
        finally {
            never.countDown();
        }
    }

    @Test
    void aPoolWhoseDropIsSkippedIsClosedOnceWhenSpringDestroysIt(CapturedOutput output) {
        contextRunner.withUserConfiguration(CloseableConfiguration.class)
            .withBean("hangingWriter", AsyncDroppable.class, () -> () -> new CompletableFuture<Void>())
            .withPropertyValues("async-drop.adapters.auto-closeables=connectionPool",
                    "async-drop.resources.hangingWriter.depends-on=connectionPool",
                    "async-drop.timeout-per-phase=300ms")
            .run(context -> {
                CountingPool pool = context.getBean(CountingPool.class);
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("connectionPool", DropOutcome.SKIPPED);
                assertThat(pool.closes).hasValue(1);
                assertThat(pool.closingThread).startsWith("async-drop-blocking-");
                assertThat(output).contains("Skipped bean 'connectionPool'");
            });
    }

    @Test
    void twoPoolsThatAreEqualAreEachClosedOnceByTheirOwnDropOrDestruction() {
        ThreadRecordingPool dropped = new ThreadRecordingPool();
        ThreadRecordingPool skipped = new ThreadRecordingPool();
        contextRunner.withBean("droppedPool", ThreadRecordingPool.class, () -> dropped)
            .withBean("skippedPool", ThreadRecordingPool.class, () -> skipped)
            .withBean("hangingWriter", AsyncDroppable.class, () -> () -> new CompletableFuture<Void>())
            .withPropertyValues("async-drop.adapters.auto-closeables=droppedPool,skippedPool",
                    "async-drop.resources.hangingWriter.depends-on=skippedPool",
                    "async-drop.resources.hangingWriter.phase=10", "async-drop.resources.skippedPool.phase=10",
                    "async-drop.timeout-per-phase=300ms")
            .run(context -> {
                assertThat(dropped).isEqualTo(skipped);
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("droppedPool", DropOutcome.DROPPED)
                    .containsEntry("skippedPool", DropOutcome.SKIPPED);
            });
        // Neither is closed a second time by Spring on the closing thread, whichever the other's fate.
        assertThat(dropped.closingThreads).singleElement().asString().startsWith("async-drop-blocking-");
        assertThat(skipped.closingThreads).singleElement().asString().startsWith("async-drop-blocking-");
    }

    @Test
    void onePoolUnderTwoNamesIsClosedOnceForEachNameAndNeverBySpringOnTheClosingThread() {
        ThreadRecordingPool pool = new ThreadRecordingPool();
        contextRunner.withBean("droppedName", ThreadRecordingPool.class, () -> pool)
            .withBean("skippedName", ThreadRecordingPool.class, () -> pool)
            .withBean("hangingWriter", AsyncDroppable.class, () -> () -> new CompletableFuture<Void>())
            .withPropertyValues("async-drop.adapters.auto-closeables=droppedName,skippedName",
                    "async-drop.resources.hangingWriter.depends-on=skippedName",
                    "async-drop.resources.hangingWriter.phase=10", "async-drop.resources.skippedName.phase=10",
                    "async-drop.timeout-per-phase=300ms")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("droppedName", DropOutcome.DROPPED)
                    .containsEntry("skippedName", DropOutcome.SKIPPED);
            });
        // Once by the drop of one name, once as Spring destroys the other, whose drop never started; both bounded.
        assertThat(pool.closingThreads).hasSize(2).allMatch(name -> name.startsWith("async-drop-blocking-"));
    }

    @Test
    void theCommonForkJoinPoolExposedAsABeanIsNeverDropped() {
        contextRunner.withBean("commonPool", ExecutorService.class, ForkJoinPool::commonPool)
            .withPropertyValues("async-drop.adapters.executor-services=true")
            .run(context -> {
                assertThat(context.getBean(BeanDropCoordinator.class).plan().orElseThrow().resource("commonPool"))
                    .isEmpty();
                context.close();
                assertThat(ForkJoinPool.commonPool().isShutdown()).isFalse();
                assertThat(ForkJoinPool.commonPool().submit(() -> "still running").get(30, TimeUnit.SECONDS))
                    .isEqualTo("still running");
            });
    }

    @Test
    void aWrappedScheduledExecutorServiceIsDroppedWithAWarningNamingIt(CapturedOutput output) {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(1);
        contextRunner
            .withBean("wrappedScheduler", ScheduledExecutorService.class,
                    () -> Executors.unconfigurableScheduledExecutorService(pool))
            .withPropertyValues("async-drop.adapters.executor-services=true")
            .run(context -> {
                assertThat(output).containsOnlyOnce("ScheduledExecutorService bean 'wrappedScheduler' (")
                    .contains("its delayed tasks still run before it terminates");
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("wrappedScheduler", DropOutcome.DROPPED);
            });
        assertThat(pool.isShutdown()).isTrue();
    }

    @Test
    void aHikariPoolIsClosedAfterItsUsers() {
        contextRunner.withUserConfiguration(HikariConfiguration.class)
            .withPropertyValues("async-drop.adapters.auto-closeables=dataSource")
            .run(context -> {
                HikariDataSource dataSource = context.getBean(HikariDataSource.class);
                try (Connection connection = dataSource.getConnection()) {
                    assertThat(connection.isValid(1)).isTrue();
                }
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("dataSource", DropOutcome.DROPPED)
                    .containsEntry("dao", DropOutcome.DROPPED);
                assertThat(reports.records().get("dataSource").startOffset())
                    .isGreaterThanOrEqualTo(reports.records().get("dao").endOffset());
                assertThat(dataSource.isClosed()).isTrue();
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class ExecutorConfiguration {

        @Bean
        ExecutorService workers() {
            return Executors.newFixedThreadPool(2);
        }

        @Bean
        AsyncDroppable producer(ExecutorService workers, DropEvents events) {
            // Its drop still uses the executor: the executor must not be shut down before it completes.
            return () -> {
                events.add("start:producer");
                return CompletableFuture.runAsync(() -> events.add("flushed:producer"), workers);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CloseableConfiguration {

        @Bean
        CountingPool connectionPool(DropEvents events) {
            return new CountingPool(events);
        }

        @Bean
        RecordingDroppable writer(CountingPool connectionPool, DropEvents events) {
            return new RecordingDroppable("writer", events);
        }
    }

    static class CountingPool implements AutoCloseable {

        final AtomicInteger closes = new AtomicInteger();

        final DropEvents events;

        volatile String closingThread;

        CountingPool(DropEvents events) {
            this.events = events;
        }

        @Override
        public void close() {
            if (closes.incrementAndGet() == 1) {
                closingThread = Thread.currentThread().getName();
                events.add("close:connectionPool");
            }
        }
    }

    /** Equal to every other such pool, as a value type might be; records the threads that close it. */
    static class ThreadRecordingPool implements AutoCloseable {

        final List<String> closingThreads = new CopyOnWriteArrayList<>();

        @Override
        public void close() {
            closingThreads.add(Thread.currentThread().getName());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ThreadRecordingPool;
        }

        @Override
        public int hashCode() {
            return 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HikariConfiguration {

        @Bean
        HikariDataSource dataSource() {
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl("jdbc:h2:mem:adapters");
            dataSource.setUsername("sa");
            dataSource.setPassword("");
            return dataSource;
        }

        @Bean
        AsyncDroppable dao(HikariDataSource dataSource) {
            return new AsyncDroppable() {
                @Override
                public CompletionStage<Void> asyncDrop() {
                    return CompletableFuture.runAsync(() -> {
                        try (Connection connection = dataSource.getConnection()) {
                            connection.createStatement().execute("SELECT 1");
                        }
                        catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                    });
                }
            };
        }
    }
}
