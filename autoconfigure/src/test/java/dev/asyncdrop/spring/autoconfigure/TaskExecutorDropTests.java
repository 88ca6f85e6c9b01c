package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring's own executors and schedulers join the plan ({@code async-drop.adapters.task-executors}, on by default):
 * they take tasks until their own drop, which comes after the application's droppables, and their drop lets the
 * tasks finish.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskExecutorDropTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class,
                TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class,
                AsyncDropAutoConfiguration.class))
        .withBean(DropEvents.class)
        .withBean(ReportCapture.class);

    @Test
    void aDroppableHandsItsLastFlushToTheTaskSchedulerDuringItsDrop() {
        contextRunner.withUserConfiguration(SchedulerFlushConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            ReportCapture reports = context.getBean(ReportCapture.class);
            context.close();
            // Spring's scheduler would have shut down when the context closed, before any drop, and rejected it.
            assertThat(reports.outcomes()).containsEntry("buffer", DropOutcome.DROPPED)
                .containsEntry("taskScheduler", DropOutcome.DROPPED);
            assertThat(events.list()).containsExactly("flushed:buffer");
            assertThat(reports.records().get("taskScheduler").startOffset())
                .isGreaterThanOrEqualTo(reports.records().get("buffer").endOffset());
        });
    }

    @Test
    void aDroppableThatLooksTheExecutorUpDuringItsDropStillDropsBeforeIt() {
        contextRunner.withUserConfiguration(LookedUpExecutorConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            ReportCapture reports = context.getBean(ReportCapture.class);
            context.close();
            assertThat(events.list()).containsExactly("flushed:buffer");
            // No injection orders the two: the tiers do, droppables before executors.
            assertThat(reports.records().get("applicationTaskExecutor").startOffset())
                .isGreaterThanOrEqualTo(reports.records().get("buffer").endOffset());
        });
    }

    @Test
    void theLazyApplicationTaskExecutorJoinsThePlanWithItsOwnType() {
        contextRunner.run(context -> {
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
            assertThat(plan.resource("applicationTaskExecutor")).isPresent();
            AsyncDropEndpoint endpoint = new AsyncDropEndpoint(context.getBean(BeanDropCoordinator.class)::plan, null);
            assertThat(endpoint.asyncDrop().resources())
                .filteredOn(resource -> resource.name().equals("applicationTaskExecutor"))
                .singleElement()
                .satisfies(resource -> assertThat(resource.type()).isEqualTo(ThreadPoolTaskExecutor.class.getName()));
        });
    }

    @Test
    void aTaskDueInAnHourIsCancelledAndDoesNotHoldTheSchedulersDrop() {
        contextRunner.withUserConfiguration(SchedulerFlushConfiguration.class)
            // A drop that waited for the task would time out.
            .withPropertyValues("async-drop.resources.taskScheduler.timeout=5s")
            .run(context -> {
                TaskScheduler scheduler = context.getBean("taskScheduler", TaskScheduler.class);
                ScheduledFuture<?> inAnHour = scheduler.schedule(() -> {
                }, Instant.now().plus(Duration.ofHours(1)));
                ScheduledFuture<?> periodic = scheduler.scheduleWithFixedDelay(() -> {
                }, Duration.ofMinutes(1));
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("taskScheduler", DropOutcome.DROPPED);
                assertThat(inAnHour.isCancelled()).isTrue();
                assertThat(periodic.isCancelled()).isTrue();
            });
    }

    @Test
    void anAdaptedScheduledExecutorServiceDoesNotWaitForATaskDueInAnHour() {
        ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(1);
        ScheduledFuture<?> inAnHour = scheduled.schedule(() -> {
        }, 1, TimeUnit.HOURS);
        CountDownLatch dueNow = new CountDownLatch(1);
        contextRunner.withBean("scheduled", ScheduledExecutorService.class, () -> scheduled)
            .withPropertyValues("async-drop.adapters.executor-services=true",
                    "async-drop.resources.scheduled.timeout=5s")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                scheduled.execute(dueNow::countDown);
                context.close();
                assertThat(reports.outcomes()).containsEntry("scheduled", DropOutcome.DROPPED);
            });
        assertThat(inAnHour.isCancelled()).isTrue();
        assertThat(dueNow.getCount()).isZero();
        assertThat(scheduled.isTerminated()).isTrue();
    }

    @Test
    void anExecutorsDropWaitsForItsTasksWithoutAThreadOfItsOwn() {
        contextRunner.run(context -> {
            ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor",
                    ThreadPoolTaskExecutor.class);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Set<String>> threadsDuringDrop = new CompletableFuture<>();
            executor.execute(() -> awaitQuietly(release));
            executor.execute(() -> awaitQuietly(release));
            Thread releaser = new Thread(() -> {
                // The drop has shut the executor down and waits for its tasks: which threads are there meanwhile?
                await().atMost(Duration.ofSeconds(30)).until(() -> executor.getThreadPoolExecutor().isShutdown());
                threadsDuringDrop.complete(threadNames());
                release.countDown();
            });
            releaser.start();
            ReportCapture reports = context.getBean(ReportCapture.class);
            context.close();
            assertThat(reports.outcomes()).containsEntry("applicationTaskExecutor", DropOutcome.DROPPED);
            assertThat(threadsDuringDrop.join()).noneMatch(name -> name.startsWith("async-drop-blocking-"));
            assertThat(executor.getThreadPoolExecutor().getCompletedTaskCount()).isEqualTo(2);
        });
    }

    @Test
    void tasksSubmittedToASimpleAsyncTaskExecutorBeforeItsDropRunEvenIfTheyHaveNotStartedYet() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        // Its threads wait before they run their task: as under load, when a task's thread has not started it yet.
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(task -> new Thread(() -> {
            awaitQuietly(started);
            task.run();
        }));
        contextRunner.withBean("simpleExecutor", SimpleAsyncTaskExecutor.class, () -> executor).run(context -> {
            for (int i = 0; i < 5; i++) {
                executor.execute(ran::incrementAndGet);
            }
            Thread starter = new Thread(() -> {
                await().atMost(Duration.ofSeconds(30)).until(() -> rejectsTasks(executor));
                started.countDown();
            });
            starter.start();
            ReportCapture reports = context.getBean(ReportCapture.class);
            context.close();
            assertThat(reports.outcomes()).containsEntry("simpleExecutor", DropOutcome.DROPPED);
            assertThat(ran).hasValue(5);
        });
    }

    @Test
    void anExecutorPausedBeforeTheCloseRunsItsQueuedTasksAndThoseOfTheDropsBeforeItsOwn() {
        contextRunner.withUserConfiguration(InjectedExecutorConfiguration.class)
            // A drop that waited for a paused executor would time out.
            .withPropertyValues("async-drop.timeout-per-phase=5s")
            .run(context -> {
                ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor",
                        ThreadPoolTaskExecutor.class);
                DropEvents events = context.getBean(DropEvents.class);
                ReportCapture reports = context.getBean(ReportCapture.class);
                // Stopping the context pauses Spring's executors: their tasks wait in the queue until a start.
                context.stop();
                executor.execute(() -> events.add("queued"));
                context.close();
                assertThat(reports.outcomes()).containsEntry("buffer", DropOutcome.DROPPED)
                    .containsEntry("applicationTaskExecutor", DropOutcome.DROPPED);
                assertThat(events.list()).containsExactlyInAnyOrder("queued", "flushed:buffer");
            });
    }

    @Test
    void aSchedulerPausedBeforeTheCloseRunsTheTasksOfTheDropsBeforeItsOwn() {
        contextRunner.withUserConfiguration(SchedulerFlushConfiguration.class)
            .withPropertyValues("async-drop.timeout-per-phase=5s")
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.stop();
                context.close();
                assertThat(reports.outcomes()).containsEntry("buffer", DropOutcome.DROPPED)
                    .containsEntry("taskScheduler", DropOutcome.DROPPED);
                assertThat(events.list()).containsExactly("flushed:buffer");
            });
    }

    @Test
    void aTaskSubmittedToASimpleAsyncTaskExecutorDuringStartupIsWaitedForAndKeepsItsOwnDecorator() {
        CountDownLatch release = new CountDownLatch(1);
        contextRunner.withUserConfiguration(StartupTaskConfiguration.class)
            .withBean("startupRelease", CountDownLatch.class, () -> release)
            .withPropertyValues("async-drop.resources.later.phase=10", "async-drop.timeout-per-phase=10s")
            .run(context -> {
                SimpleAsyncTaskExecutor executor = context.getBean("simpleExecutor", SimpleAsyncTaskExecutor.class);
                DropEvents events = context.getBean(DropEvents.class);
                Thread releaser = new Thread(() -> {
                    await().atMost(Duration.ofSeconds(30)).until(() -> rejectsTasks(executor));
                    release.countDown();
                });
                releaser.start();
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("simpleExecutor", DropOutcome.DROPPED);
                // Submitted before the plan was built: its drop still waited for it, before the lower phase.
                assertThat(events.list()).containsSubsequence("decorated:startup", "end:startup", "start:later");
            });
    }

    @Test
    void droppablesThatUseASimpleAsyncTaskSchedulerAreNamedInOneWarningAtStartup(CapturedOutput output) {
        contextRunner.withUserConfiguration(SimpleSchedulerUsersConfiguration.class).run(context -> {
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
            assertThat(plan.resource("simpleScheduler")).as("still dropped").isPresent();
            assertThat(output).containsOnlyOnce("SimpleAsyncTaskScheduler 'simpleScheduler' stops scheduling when the "
                    + "context closes, before any drop: tasks that [firstUser, secondUser] schedule on it during "
                    + "their drops are rejected");
        });
    }

    @Test
    void anExecutorThatWasNeverInitializedCompletesItsDropAtOnceAndQuietly(CapturedOutput output) {
        contextRunner
            .withInitializer(context -> context.getBeanFactory()
                .registerSingleton("idleExecutor", new ThreadPoolTaskExecutor()))
            .withPropertyValues("async-drop.resources.idleExecutor.timeout=5s")
            .run(context -> {
                assertThat(context.getBean(BeanDropCoordinator.class).plan().orElseThrow().resource("idleExecutor"))
                    .isPresent();
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("idleExecutor", DropOutcome.DROPPED);
                assertThat(output).doesNotContain("WARN").doesNotContain("Exception");
            });
    }

    @Test
    void anExecutorsOwnAwaitTerminationPeriodIsItsDropTimeout() {
        contextRunner
            .withPropertyValues("spring.task.execution.shutdown.await-termination=true",
                    "spring.task.execution.shutdown.await-termination-period=300ms")
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("applicationTaskExecutor").flatMap(PlannedResource::timeout))
                    .contains(Duration.ofMillis(300));
                CountDownLatch interrupted = new CountDownLatch(1);
                context.getBean("applicationTaskExecutor", Executor.class).execute(() -> {
                    try {
                        Thread.sleep(60_000);
                    }
                    catch (InterruptedException ex) {
                        interrupted.countDown();
                    }
                });
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("applicationTaskExecutor", DropOutcome.TIMED_OUT);
                assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            });
    }

    @Test
    void aDropTimeoutSetForTheExecutorWinsOverItsAwaitTerminationPeriod() {
        contextRunner
            .withPropertyValues("spring.task.execution.shutdown.await-termination-period=300ms",
                    "async-drop.resources.applicationTaskExecutor.timeout=2s")
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("applicationTaskExecutor").flatMap(PlannedResource::timeout))
                    .contains(Duration.ofSeconds(2));
            });
    }

    @Test
    void anExecutorCanBeToldThatItsTasksUseADroppable() {
        contextRunner.withUserConfiguration(BatchWriterConfiguration.class)
            .withPropertyValues("async-drop.resources.applicationTaskExecutor.depends-on=batchWriter")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                // The explicit dependency wins over the tiers: the executor first, then what its tasks use.
                assertThat(reports.records().get("batchWriter").startOffset())
                    .isGreaterThanOrEqualTo(reports.records().get("applicationTaskExecutor").endOffset());
            });
    }

    @Test
    void theTiersNeverCloseACycleWithExplicitDependenciesTheOtherWay() {
        contextRunner.withUserConfiguration(BatchWriterConfiguration.class)
            .withBean("connectionPool", AutoCloseable.class, () -> () -> {
            })
            // The pool says it uses the writer: the tiers would drop the writer, the executor, then the pool.
            .withPropertyValues("async-drop.adapters.auto-closeables=connectionPool",
                    "async-drop.resources.connectionPool.depends-on=batchWriter")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("batchWriter", DropOutcome.DROPPED)
                    .containsEntry("applicationTaskExecutor", DropOutcome.DROPPED)
                    .containsEntry("connectionPool", DropOutcome.DROPPED);
                assertThat(reports.records().get("connectionPool").startOffset())
                    .isGreaterThanOrEqualTo(reports.records().get("applicationTaskExecutor").endOffset());
                assertThat(reports.records().get("batchWriter").startOffset())
                    .isGreaterThanOrEqualTo(reports.records().get("connectionPool").endOffset());
            });
    }

    @Test
    void anExecutorSetToAcceptTasksAfterTheContextClosesIsLeftToSpring(CapturedOutput output) {
        contextRunner.withUserConfiguration(InjectedExecutorConfiguration.class)
            .withPropertyValues("spring.task.execution.pool.shutdown.accept-tasks-after-context-close=true")
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("applicationTaskExecutor")).isEmpty();
                assertThat(output).contains("Bean 'buffer' uses executor 'applicationTaskExecutor' ("
                        + ThreadPoolTaskExecutor.class.getName() + "), which is not dropped at shutdown")
                    .contains("It is set to accept tasks after the context closes");
            });
    }

    @Test
    void withTaskExecutorsOffSpringsSchedulerShutsDownBeforeTheDropsAsBefore(CapturedOutput output) {
        contextRunner.withUserConfiguration(SchedulerFlushConfiguration.class)
            .withPropertyValues("async-drop.adapters.task-executors=false")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                assertThat(output).contains("Bean 'buffer' uses executor 'taskScheduler' ("
                        + ThreadPoolTaskScheduler.class.getName() + "), which is not dropped at shutdown")
                    .contains("Set async-drop.adapters.task-executors=true to drop it after 'buffer'.");
                context.close();
                assertThat(reports.outcomes()).containsOnlyKeys("asyncDropScope", "buffer")
                    .containsEntry("buffer", DropOutcome.FAILED);
                assertThat(reports.records().get("buffer").failure()).containsInstanceOf(TaskRejectedException.class);
            });
    }

    @Test
    void aDroppableThatUsesAnExecutorNoAdapterDropsIsWarnedAbout(CapturedOutput output) {
        contextRunner.withUserConfiguration(UnadaptedExecutorsConfiguration.class).run(context -> {
            assertThat(output).contains("Bean 'plainUser' uses executor 'plain' (")
                .contains("async-drop cannot drop a plain Executor: have 'plainUser' use one it drops")
                .contains("Bean 'serviceUser' uses executor 'service' (")
                .contains("Set async-drop.adapters.executor-services=true to drop it after 'serviceUser'.");
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean rejectsTasks(Executor executor) {
        try {
            executor.execute(() -> {
            });
            return false;
        }
        catch (TaskRejectedException ex) {
            return true;
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class SchedulerFlushConfiguration {

        @Bean
        AsyncDroppable buffer(TaskScheduler taskScheduler, DropEvents events) {
            return () -> {
                CompletableFuture<Void> flushed = new CompletableFuture<>();
                taskScheduler.schedule(() -> {
                    events.add("flushed:buffer");
                    flushed.complete(null);
                }, Instant.now());
                return flushed;
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SimpleSchedulerUsersConfiguration {

        @Bean
        SimpleAsyncTaskScheduler simpleScheduler() {
            return new SimpleAsyncTaskScheduler();
        }

        @Bean
        AsyncDroppable firstUser(SimpleAsyncTaskScheduler simpleScheduler) {
            return () -> CompletableFuture.completedFuture(null);
        }

        @Bean
        AsyncDroppable secondUser(SimpleAsyncTaskScheduler simpleScheduler) {
            return () -> CompletableFuture.completedFuture(null);
        }
    }

    /**
     * A {@code SimpleAsyncTaskExecutor} with a task decorator of its own, a bean that hands it a task as it is
     * created (the task waits for the {@code startupRelease} latch), and a droppable in a lower phase.
     */
    @Configuration(proxyBeanMethods = false)
    static class StartupTaskConfiguration {

        @Bean
        SimpleAsyncTaskExecutor simpleExecutor(DropEvents events) {
            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("startup-");
            executor.setTaskDecorator(task -> () -> {
                events.add("decorated:startup");
                task.run();
            });
            return executor;
        }

        @Bean
        Object startupSubmitter(SimpleAsyncTaskExecutor simpleExecutor, CountDownLatch startupRelease,
                DropEvents events) {
            simpleExecutor.execute(() -> {
                awaitQuietly(startupRelease);
                events.add("end:startup");
            });
            return new Object();
        }

        @Bean
        RecordingDroppable later(DropEvents events) {
            return new RecordingDroppable("later", events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class LookedUpExecutorConfiguration {

        @Bean
        AsyncDroppable buffer(@Qualifier("applicationTaskExecutor") ObjectProvider<Executor> executor,
                DropEvents events) {
            return () -> CompletableFuture.runAsync(() -> events.add("flushed:buffer"), executor.getObject());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InjectedExecutorConfiguration {

        @Bean
        AsyncDroppable buffer(@Qualifier("applicationTaskExecutor") Executor executor, DropEvents events) {
            return () -> CompletableFuture.runAsync(() -> events.add("flushed:buffer"), executor);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BatchWriterConfiguration {

        @Bean
        RecordingDroppable batchWriter(DropEvents events) {
            return new RecordingDroppable("batchWriter", events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnadaptedExecutorsConfiguration {

        @Bean
        Executor plain() {
            return Runnable::run;
        }

        @Bean(destroyMethod = "shutdownNow")
        ExecutorService service() {
            return Executors.newSingleThreadExecutor();
        }

        @Bean
        AsyncDroppable plainUser(Executor plain) {
            return () -> CompletableFuture.runAsync(() -> {
            }, plain);
        }

        @Bean
        AsyncDroppable serviceUser(ExecutorService service) {
            return () -> CompletableFuture.runAsync(() -> {
            }, service);
        }
    }
}
