package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Scope;
import org.springframework.util.StringUtils;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.BeanDropCoordinator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link AsyncDropScope} bean: droppables created at run time, prototype beans and lazy singletons are dropped
 * at shutdown, before the singletons they may use.
 */
@ExtendWith(OutputCaptureExtension.class)
class AsyncDropScopeBeanTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withUserConfiguration(SessionConfiguration.class);

    @Test
    void prototypeBeansAreTrackedAndDroppedBeforeTheSingletonsTheyUse() {
        contextRunner.run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            AsyncDropScope scope = context.getBean(AsyncDropScope.class);
            context.getBean("session");
            context.getBean("session");
            assertThat(scope.size()).isEqualTo(2);
            context.close();
            assertThat(events.starts()).containsExactlyInAnyOrder("session-1", "session-2", "pool");
            assertThat(events.indexOf("start:pool")).isGreaterThan(events.indexOf("end:session-1"))
                .isGreaterThan(events.indexOf("end:session-2"));
        });
    }

    @Test
    void resourcesTrackedAtRunTimeAreDroppedBeforeTheSingletons() {
        contextRunner.run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            context.getBean(AsyncDropScope.class).track(new RecordingDroppable("request", events));
            context.close();
            assertThat(events.list()).containsExactly("start:request", "end:request", "start:pool", "end:pool");
        });
    }

    @Test
    void aLazySingletonCreatedAfterStartupIsDroppedWithTheScope() {
        contextRunner.run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            AsyncDropScope scope = context.getBean(AsyncDropScope.class);
            assertThat(scope.size()).isZero();
            context.getBean("lazyCache");
            assertThat(scope.size()).isOne();
            context.close();
            assertThat(events.list()).containsExactly("start:lazyCache", "end:lazyCache", "start:pool",
                    "end:pool");
        });
    }

    @Test
    void aPrototypeCreatedByADropAfterTheScopeWasDroppedIsCreatedButNotTracked(CapturedOutput output) {
        contextRunner.withBean("creator", SessionCreator.class).withBean(ReportCapture.class).run(context -> {
            ReportCapture reports = context.getBean(ReportCapture.class);
            context.close();
            assertThat(reports.outcomes()).containsEntry("creator", DropOutcome.DROPPED);
            assertThat(output).contains("Not dropping prototype bean 'session': it was created after the "
                    + "AsyncDropScope was dropped");
        });
    }

    @Test
    void prototypesCreatedByADropAfterTheScopeWasDroppedAreReportedOncePerBeanName(CapturedOutput output) {
        contextRunner.withBean("creator", SessionsCreator.class).withBean(ReportCapture.class).run(context -> {
            SessionsCreator creator = context.getBean(SessionsCreator.class);
            context.close();
            assertThat(creator.created).hasSize(SessionsCreator.SESSIONS);
            assertThat(lateSessionWarnings(output)).isOne();
        });
    }

    @Test
    void prototypesCreatedConcurrentlyAreEachDroppedOnce() {
        contextRunner.run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            int threads = 8;
            int perThread = 50;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> creators = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    creators.add(executor.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        for (int j = 0; j < perThread; j++) {
                            context.getBean("session");
                        }
                        return null;
                    }));
                }
                for (Future<?> creator : creators) {
                    creator.get(60, TimeUnit.SECONDS);
                }
            }
            finally {
                executor.shutdownNow();
            }
            assertThat(context.getBean(AsyncDropScope.class).size()).isEqualTo(threads * perThread);
            context.close();
            List<String> sessions = events.starts().stream().filter(name -> name.startsWith("session-")).toList();
            assertThat(sessions).hasSize(threads * perThread).doesNotHaveDuplicates();
            assertThat(events.list()).last().isEqualTo("end:pool");
        });
    }

    @Test
    void prototypesCreatedWhileTheContextClosesAreDroppedOnceBeforeThePoolOrNotAtAll(CapturedOutput output)
            throws Exception {
        int threads = 4;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                int currentRound = round;
                contextRunner.run(context -> {
                    DropEvents events = context.getBean(DropEvents.class);
                    List<RecordingDroppable> created = new CopyOnWriteArrayList<>();
                    AtomicBoolean closed = new AtomicBoolean();
                    CountDownLatch someCreated = new CountDownLatch(threads * 5);
                    List<Future<?>> creators = new ArrayList<>();
                    for (int i = 0; i < threads; i++) {
                        creators.add(executor.submit(() -> {
                            // Bounded, so that a slow close does not pile up sessions and warnings.
                            for (int j = 0; j < 100 && !closed.get(); j++) {
                                try {
                                    created.add(context.getBean("session", RecordingDroppable.class));
                                }
                                catch (RuntimeException ex) {
                                    return;  // the context no longer hands out beans
                                }
                                someCreated.countDown();
                            }
                        }));
                    }
                    assertThat(someCreated.await(30, TimeUnit.SECONDS)).isTrue();
                    List<RecordingDroppable> createdBeforeClose = List.copyOf(created);
                    context.close();
                    closed.set(true);
                    for (Future<?> creator : creators) {
                        creator.get(30, TimeUnit.SECONDS);
                    }
                    assertThat(created).as("round %d", currentRound)
                        .allSatisfy(session -> assertThat(session.drops()).isLessThanOrEqualTo(1));
                    assertThat(createdBeforeClose).as("round %d", currentRound)
                        .allSatisfy(session -> assertThat(session.drops()).isOne());
                    int poolStart = events.indexOf("start:pool");
                    assertThat(events.list().subList(poolStart, events.list().size())).as("round %d", currentRound)
                        .noneMatch(event -> event.contains("session-"));
                });
            }
        }
        finally {
            executor.shutdownNow();
        }
        // Sessions created after the scope was dropped are not tracked: said once per context, if at all.
        assertThat(lateSessionWarnings(output)).isLessThanOrEqualTo(10);
    }

    @Test
    void aRuntimeGuardThatHangsHoldsTheScopeOnlyForItsShareOfThePhaseAndTheSingletonsStillDrop(
            CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.timeout-per-phase=4s").withBean(ReportCapture.class)
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.getBean(AsyncDropScope.class).track(CompletableFuture::new);
                context.close();
                assertThat(reports.outcomes()).containsEntry("asyncDropScope", DropOutcome.TIMED_OUT)
                    .containsEntry("pool", DropOutcome.DROPPED);
                assertThat(reports.records().get("pool").startOffset()).isLessThan(Duration.ofSeconds(4));
                assertThat(output).contains("Gave up waiting for bean 'asyncDropScope' to drop after");
            });
    }

    @Test
    void theScopeHasAQuarterOfItsPhaseUnlessItsOwnTimeoutIsSet() {
        contextRunner.withPropertyValues("async-drop.timeout-per-phase=8s").run(context -> {
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
            assertThat(plan.resource("asyncDropScope")).get().extracting(PlannedResource::timeout)
                .isEqualTo(Optional.of(Duration.ofSeconds(2)));
        });
        contextRunner.withPropertyValues("async-drop.timeout-per-phase=8s", "async-drop.phases.2147479551.timeout=2s")
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("asyncDropScope")).get().extracting(PlannedResource::timeout)
                    .isEqualTo(Optional.of(Duration.ofMillis(500)));
            });
        contextRunner.withPropertyValues("async-drop.resources.asyncDropScope.timeout=7s").run(context -> {
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
            assertThat(plan.resource("asyncDropScope")).get().extracting(PlannedResource::timeout)
                .isEqualTo(Optional.of(Duration.ofSeconds(7)));
        });
    }

    @Test
    void aDroppableRegisteredAsASingletonAfterStartupIsDroppedWithTheScope(CapturedOutput output) {
        contextRunner.run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            context.getBeanFactory().registerSingleton("late", new RecordingDroppable("late", events));
            context.close();
            assertThat(events.list()).containsExactly("start:late", "end:late", "start:pool", "end:pool");
            assertThat(output).contains("Dropping bean 'late' with the AsyncDropScope: it was registered after "
                    + "startup");
        });
    }

    @Test
    void aPrototypeTheApplicationTakesOutOfTheScopeIsDroppedOnceByIt() {
        contextRunner.run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            AsyncDropScope scope = context.getBean(AsyncDropScope.class);
            RecordingDroppable early = context.getBean("session", RecordingDroppable.class);
            RecordingDroppable kept = context.getBean("session", RecordingDroppable.class);
            scope.untrack(early).orElseThrow().asyncDrop().toCompletableFuture().get(10, TimeUnit.SECONDS);
            context.close();
            assertThat(early.drops()).isOne();
            assertThat(kept.drops()).isOne();
            assertThat(events.starts()).containsExactly(early.name(), kept.name(), "pool");
        });
    }

    private static int lateSessionWarnings(CapturedOutput output) {
        return StringUtils.countOccurrencesOf(output.getAll(), "Not dropping prototype bean 'session'");
    }

    @Test
    void lazySingletonsCreatedByAnotherThreadWhileThePlanIsBuiltAreStillDropped() throws Exception {
        int count = 300;
        ApplicationContextRunner runner = contextRunner;
        for (int i = 0; i < count; i++) {
            String name = "lazy" + i;
            runner = runner.withBean(name, RecordingDroppable.class,
                    () -> new RecordingDroppable(name, new DropEvents()), definition -> definition.setLazyInit(true));
        }
        LazyCreator creator = new LazyCreator(count);
        runner.withBean(LazyCreator.class, () -> creator).run(context -> {
            assertThat(creator.done.await(30, TimeUnit.SECONDS)).isTrue();
            context.close();
            assertThat(creator.created).hasSize(count)
                .allSatisfy(bean -> assertThat(bean.drops()).as(bean.name()).isOne());
        });
    }

    /** Starts creating lazy droppable singletons on another thread just before the plan is built. */
    static class LazyCreator implements SmartInitializingSingleton, BeanFactoryAware {

        final List<RecordingDroppable> created = new CopyOnWriteArrayList<>();

        final CountDownLatch done = new CountDownLatch(1);

        private final int count;

        private BeanFactory beanFactory;

        LazyCreator(int count) {
            this.count = count;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public void afterSingletonsInstantiated() {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        created.add(beanFactory.getBean("lazy" + i, RecordingDroppable.class));
                    }
                }
                finally {
                    done.countDown();
                }
            }, "lazy-creator");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Opens several sessions, one after the other, while it is dropped. */
    static class SessionsCreator implements AsyncDroppable {

        static final int SESSIONS = 5;

        final List<RecordingDroppable> created = new CopyOnWriteArrayList<>();

        private final ObjectProvider<RecordingDroppable> sessions;

        SessionsCreator(@Qualifier("session") ObjectProvider<RecordingDroppable> sessions, RecordingDroppable pool) {
            this.sessions = sessions;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.runAsync(() -> {
                for (int i = 0; i < SESSIONS; i++) {
                    created.add(sessions.getObject());
                }
            });
        }
    }

    /** Opens one last session while it is dropped: a flush, say. */
    static class SessionCreator implements AsyncDroppable {

        private final ObjectProvider<RecordingDroppable> sessions;

        SessionCreator(@Qualifier("session") ObjectProvider<RecordingDroppable> sessions, RecordingDroppable pool) {
            this.sessions = sessions;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.runAsync(sessions::getObject);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SessionConfiguration {

        private final AtomicInteger sessions = new AtomicInteger();

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events);
        }

        @Bean
        @Scope("prototype")
        RecordingDroppable session(RecordingDroppable pool, DropEvents events) {
            return new RecordingDroppable("session-" + sessions.incrementAndGet(), events);
        }

        @Bean
        @Lazy
        RecordingDroppable lazyCache(RecordingDroppable pool, DropEvents events) {
            return new RecordingDroppable("lazyCache", events);
        }
    }
}
