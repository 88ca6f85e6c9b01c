package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.spring.AsyncDropPhases;
import dev.asyncdrop.spring.BeanDropCoordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When and in which order beans are dropped: at close only, after what uses them, concurrently where independent,
 * and also when the refresh fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownDropTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
        .withPropertyValues("async-drop.timeout-per-phase=5s");

    @Test
    void aBeanIsDroppedOnlyAfterTheBeansThatUseItThroughBeansThatAreNotDroppable() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            assertThat(events.list()).isEmpty();
            context.close();
            assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
        });
    }

    @Test
    void independentBranchesAreDroppedConcurrently() {
        contextRunner.withUserConfiguration(TwoBranchesConfiguration.class)
            .withBean(ReportCapture.class)
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                // Each leaf completes only once both leaves have started: dropping them one after the other would
                // time out instead.
                assertThat(reports.outcomes()).containsEntry("leftLeaf", DropOutcome.DROPPED)
                    .containsEntry("rightLeaf", DropOutcome.DROPPED)
                    .containsEntry("leftRoot", DropOutcome.DROPPED)
                    .containsEntry("rightRoot", DropOutcome.DROPPED);
                assertThat(events.indexOf("end:leftLeaf")).isLessThan(events.indexOf("start:leftRoot"));
                assertThat(events.indexOf("end:rightLeaf")).isLessThan(events.indexOf("start:rightRoot"));
            });
    }

    @Test
    void stoppingPausingAndRestartingTheContextDropsNothingAndCloseDropsOnce() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            RecordingDroppable writer = context.getBean("writer", RecordingDroppable.class);
            RecordingDroppable pool = context.getBean("pool", RecordingDroppable.class);
            context.stop();
            context.start();
            context.pause();
            context.restart();
            context.stop();
            context.start();
            assertThat(events.list()).isEmpty();
            context.close();
            assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
            assertThat(writer.drops()).isOne();
            assertThat(pool.drops()).isOne();
        });
    }

    @Test
    void closingAfterStopWithoutStartStillDrops() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            context.stop();
            assertThat(events.list()).isEmpty();
            context.close();
            assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
        });
    }

    @Test
    void closingAfterPauseStillDrops() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            context.pause();
            assertThat(events.list()).isEmpty();
            context.close();
            assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
        });
    }

    @Test
    void withLazyInitializationDroppableBeansAreStillCreatedAtStartupAndDroppedInOrder() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withInitializer(context -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                assertThat(context.getBean(BeanDropCoordinator.class).plan().orElseThrow().resource("writer"))
                    .isPresent();
                context.close();
                assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
            });
    }

    @Test
    void whenSpringStopsWaitingForADropPhaseTheBeansAreStillDroppedBeforeTheyAreDestroyed(CapturedOutput output) {
        contextRunner.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class))
            .withBean("lifecycleProcessor", ImpatientLifecycleProcessor.class,
                    () -> new ImpatientLifecycleProcessor(100))
            .withUserConfiguration(SlowDropConfiguration.class)
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                context.close();
                assertThat(events.list()).containsExactly("start:slow", "end:slow", "destroy:slow");
            });
    }

    @Test
    void aDropPhaseStopReturnsAtOnceAndCallsBackOnceThePhaseHasBeenDropped() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        contextRunner.withBean("slow", AsyncDroppable.class, () -> () -> release).run(context -> {
            SmartLifecycle phase = context.getBean("asyncDropPhaseLifecycle." + AsyncDropPhases.DEFAULT,
                    SmartLifecycle.class);
            CountDownLatch calledBack = new CountDownLatch(1);
            // What close() publishes first, so that the phase's stop drops rather than leaves the beans alone.
            context.publishEvent(new ContextClosedEvent(context.getSourceApplicationContext()));

            phase.stop(calledBack::countDown);

            assertThat(calledBack.getCount()).isOne();
            assertThat(phase.isRunning()).isFalse();
            release.complete(null);
            assertThat(calledBack.await(30, TimeUnit.SECONDS)).isTrue();
        });
    }

    @Test
    void aChildContextDropsItsOwnBeansAndItsCloseDropsNothingInTheParent() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(parent -> {
            DropEvents parentEvents = parent.getBean(DropEvents.class);
            DropEvents childEvents = new DropEvents();
            try (AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
                child.setParent(parent);
                child.register(AsyncDropAutoConfiguration.class);
                child.registerBean("cache", RecordingDroppable.class, () -> new RecordingDroppable("cache",
                        childEvents));
                child.refresh();
                assertThat(child.getBean(BeanDropCoordinator.class))
                    .isNotSameAs(parent.getBean(BeanDropCoordinator.class));
            }
            assertThat(childEvents.list()).containsExactly("start:cache", "end:cache");
            parent.stop();
            assertThat(parentEvents.list()).isEmpty();
            parent.close();
            assertThat(parentEvents.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
        });
    }

    @Test
    void aFailingContextClosedListenerDoesNotPreventTheDrops(CapturedOutput output) {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean(FailingCloseListener.class)
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                context.close();
                assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
                assertThat(output).contains("Exception thrown from ApplicationListener handling ContextClosedEvent")
                    .contains("Listener failed on purpose");
            });
    }

    @Test
    void destroyingOneBeanWhileTheContextRunsDropsNothing() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(context -> {
            DropEvents events = context.getBean(DropEvents.class);
            ((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("writer");
            assertThat(events.list()).isEmpty();
            context.close();
            assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
        });
    }

    @Test
    void whenTheRefreshFailsTheBeansCreatedSoFarAreDroppedInOrder(CapturedOutput output) {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class, FailingConfiguration.class)
            .run(context -> {
                assertThat(context).hasFailed();
                DropEvents events = WriterRepositoryPoolConfiguration.lastEvents;
                assertThat(context.getStartupFailure()).hasRootCauseMessage("No connection to the broker");
                assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
                assertThat(output).contains("Exception encountered during context initialization")
                    .contains("async-droppable beans created before the context failed to start: [pool, writer");
            });
    }

    @Test
    void whenTheRefreshFailsTheDropsAreBoundedByThePhaseTimeout(CapturedOutput output) {
        Hanging hanging = new Hanging();
        contextRunner.withPropertyValues("async-drop.timeout-per-phase=2s")
            .withBean("hanging", Hanging.class, () -> hanging)
            .withUserConfiguration(WriterRepositoryPoolConfiguration.class, FailingConfiguration.class)
            .run(context -> {
                assertThat(context).hasFailed();
                DropEvents events = WriterRepositoryPoolConfiguration.lastEvents;
                // The hook runs on a drop thread of its own, so that a hook that blocks holds up nothing.
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(hanging.timeouts).hasValue(1));
                assertThat(events.list()).contains("end:writer", "end:pool");
                assertThat(output).contains("Gave up waiting for bean 'hanging' to drop after");
            });
    }

    @Test
    void whenThePlanIsInvalidTheBeansCreatedAreStillDroppedLastCreatedFirst(CapturedOutput output) {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.resources.pool.depends-on=writer")
            .run(context -> {
                assertThat(context).hasFailed();
                DropEvents events = WriterRepositoryPoolConfiguration.lastEvents;
                assertThat(events.list()).containsExactly("start:writer", "end:writer", "start:pool", "end:pool");
                assertThat(output).contains("Cannot plan the drops of the beans created before the context failed "
                        + "to start, so they are dropped one at a time, the last created first");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class WriterRepositoryPoolConfiguration {

        static volatile DropEvents lastEvents;

        @Bean
        static DropEvents dropEvents() {
            lastEvents = new DropEvents();
            return lastEvents;
        }

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events, Duration.ofMillis(20));
        }

        @Bean
        Repository repository(RecordingDroppable pool) {
            return new Repository(pool);
        }

        @Bean
        RecordingDroppable writer(Repository repository, DropEvents events) {
            return new RecordingDroppable("writer", events, Duration.ofMillis(20));
        }
    }

    /** Uses the pool, but is not droppable itself. */
    static class Repository {

        Repository(RecordingDroppable pool) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowDropConfiguration {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean(destroyMethod = "destroy")
        DestroyRecording slow(DropEvents events) {
            return new DestroyRecording("slow", events, Duration.ofMillis(600));
        }
    }

    /** Also records when Spring destroys it. */
    static class DestroyRecording extends RecordingDroppable {

        DestroyRecording(String name, DropEvents events, Duration delay) {
            super(name, events, delay);
        }

        public void destroy() {
            events().add("destroy:" + name());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingConfiguration {

        @Bean
        BrokerClient brokerClient(RecordingDroppable writer) {
            return new BrokerClient(writer);
        }
    }

    /** Fails in its constructor, after the beans it uses were created. */
    static class BrokerClient {

        BrokerClient(RecordingDroppable writer) {
            throw new IllegalStateException("No connection to the broker");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoBranchesConfiguration {

        private final CompletableFuture<Void> bothLeavesStarted = new CompletableFuture<>();

        private final AtomicInteger leavesStarted = new AtomicInteger();

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable leftRoot(DropEvents events) {
            return new RecordingDroppable("leftRoot", events);
        }

        @Bean
        RecordingDroppable rightRoot(DropEvents events) {
            return new RecordingDroppable("rightRoot", events);
        }

        @Bean
        AsyncDroppable leftLeaf(RecordingDroppable leftRoot, DropEvents events) {
            return new Leaf("leftLeaf", events);
        }

        @Bean
        AsyncDroppable rightLeaf(RecordingDroppable rightRoot, DropEvents events) {
            return new Leaf("rightLeaf", events);
        }

        /** Completes its drop once both leaves have started theirs. */
        private final class Leaf implements AsyncDroppable {

            private final String name;

            private final DropEvents events;

            Leaf(String name, DropEvents events) {
                this.name = name;
                this.events = events;
            }

            @Override
            public CompletionStage<Void> asyncDrop() {
                events.add("start:" + name);
                if (leavesStarted.incrementAndGet() == 2) {
                    bothLeavesStarted.complete(null);
                }
                return bothLeavesStarted.thenRun(() -> events.add("end:" + name));
            }
        }
    }

    /** Fails the delivery of the close event to the listeners after it. */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class FailingCloseListener implements ApplicationListener<ContextClosedEvent> {

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            throw new IllegalStateException("Listener failed on purpose");
        }
    }

    /** Never completes its drop. */
    static class Hanging implements AsyncDroppable {

        final AtomicInteger timeouts = new AtomicInteger();

        @Override
        public CompletionStage<Void> asyncDrop() {
            return new CompletableFuture<>();
        }

        @Override
        public void onDropTimeout() {
            timeouts.incrementAndGet();
        }
    }
}
