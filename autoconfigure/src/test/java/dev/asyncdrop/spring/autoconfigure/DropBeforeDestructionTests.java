package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.AutoConfigureAfter;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.autoconfigure.ShutdownDropTests.DestroyRecording;
import dev.asyncdrop.spring.autoconfigure.ShutdownDropTests.SlowDropConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is destroyed while a drop still runs, whatever starts the destruction: a refresh that failed, a close that
 * Spring stopped waiting for, an interrupted closing thread. One callback guards every droppable bean, so Spring's
 * destroy walk has nothing to do for a droppable bean that has no destroy method of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class DropBeforeDestructionTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withPropertyValues("async-drop.timeout-per-phase=5s");

    @Test
    void anInterruptedClosingThreadStillDestroysNothingBeforeTheDropsEnded() {
        contextRunner.withUserConfiguration(SlowDropConfiguration.class)
            .withBean(InterruptingCloseListener.class)
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                InterruptedCloser closer = new InterruptedCloser(context);
                closer.awaitClosed();
                assertThat(events.list()).containsExactly("start:slow", "end:slow", "destroy:slow");
                assertThat(closer.interruptedAfterClose).as("the interrupt is kept for the caller").isTrue();
            });
    }

    @Test
    void aClosingThreadInterruptedAgainAndAgainKeepsThePhaseOrderAndDestroysNothingADropStillUses() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.resources.pool.phase=10")
            .withBean(InterruptingCloseListener.class)
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                InterruptedCloser closer = new InterruptedCloser(context);
                // Once the close has begun (before, Spring 7's close() gives up at once when interrupted), interrupts
                // whatever the closer waits for: Spring's wait for a lifecycle phase, or the drops.
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> events.list().contains("start:writer") || !closer.thread.isAlive());
                while (closer.thread.isAlive() && !events.list().contains("end:pool")) {
                    closer.thread.interrupt();
                    Thread.sleep(20);
                }
                closer.awaitClosed();
                assertThat(events.list()).containsSubsequence("start:writer", "end:writer", "start:pool", "end:pool",
                        "destroy:pool")
                    .containsSubsequence("end:writer", "destroy:repository");
                assertThat(closer.interruptedAfterClose).as("the interrupt is kept for the caller").isTrue();
            });
    }

    @Test
    void aClosingThreadInterruptedWhileAPoolClosesKeepsWaitingRestoresTheInterruptAndSaysSo(CapturedOutput output) {
        CountDownLatch release = new CountDownLatch(1);
        contextRunner.withUserConfiguration(BlockingPoolConfiguration.class)
            .withBean("poolRelease", CountDownLatch.class, () -> release)
            .withBean("hangingWriter", AsyncDroppable.class, () -> () -> new CompletableFuture<Void>())
            // The writer holds the phase until it times out, so the pool's drop never starts: Spring's destruction
            // of the pool closes it, bounded by its drop timeout.
            .withPropertyValues("async-drop.adapters.auto-closeables=blockingPool",
                    "async-drop.resources.hangingWriter.depends-on=blockingPool",
                    "async-drop.timeout-per-phase=300ms", "async-drop.resources.blockingPool.timeout=20s")
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                InterruptedCloser closer = new InterruptedCloser(context);
                await().atMost(Duration.ofSeconds(30)).until(() -> events.list().contains("close:start"));
                closer.thread.interrupt();
                // Until the closer has taken the interrupt and waits again, or (the bug) has gone on destroying.
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> events.list().contains("destroy:usedByPool") || (!closer.thread.isInterrupted()
                            && closer.thread.getState() == Thread.State.TIMED_WAITING));
                release.countDown();
                closer.awaitClosed();
                assertThat(events.list()).containsSubsequence("close:start", "close:end", "destroy:usedByPool");
                assertThat(closer.interruptedAfterClose).as("the interrupt is kept for the caller").isTrue();
                assertThat(output).contains("was interrupted while it waited for bean 'blockingPool' to close")
                    .contains("its interrupt status is restored");
            });
    }

    @Test
    void whenTheRefreshFailsNoBeanThatADroppableBeanUsesIsDestroyedBeforeItsDrop(CapturedOutput output) {
        contextRunner.withUserConfiguration(UsedRepositoryConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            DropEvents events = WriterRepositoryPoolConfiguration.lastEvents;
            assertThat(events.list()).containsSubsequence("start:writer", "end:writer", "destroy:repository")
                .containsSubsequence("start:writer", "end:writer", "start:pool", "end:pool", "destroy:pool");
            assertThat(output).contains("Exception encountered during context initialization")
                .contains("Dropping the 2 async-droppable beans created before the context failed to start: "
                        + "[pool, writer]");
        });
    }

    @Test
    void whenALaterRefreshedListenerFailsTheRefreshEveryDroppableBeanIsStillDroppedInOrderBeforeItsDestruction(
            CapturedOutput output) {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.resources.pool.phase=10")
            .withConfiguration(AutoConfigurations.of(FailingRefreshedListenerConfiguration.class))
            .run(context -> {
                assertThat(context).hasFailed();
                DropEvents events = WriterRepositoryPoolConfiguration.lastEvents;
                assertThat(events.list()).containsSubsequence("start:writer", "end:writer", "start:pool", "end:pool",
                        "destroy:pool")
                    .containsSubsequence("end:writer", "destroy:repository");
                assertThat(output).contains("Exception encountered during context initialization");
            });
    }

    @Test
    void aBeanDestroyedWhileTheContextRunsLeavesTheOthersGuardedWhenSpringStopsWaiting(CapturedOutput output) {
        DropEvents otherEvents = new DropEvents();
        contextRunner.withBean("lifecycleProcessor", ImpatientLifecycleProcessor.class,
                () -> new ImpatientLifecycleProcessor(100))
            .withUserConfiguration(SlowDropConfiguration.class)
            .withBean("other", RecordingDroppable.class, () -> new RecordingDroppable("other", otherEvents))
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                ((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("other");
                context.close();
                assertThat(events.list()).containsExactly("start:slow", "end:slow", "destroy:slow");
            });
    }

    @Test
    void theStarterRegistersNoDestructionCallbackForEachBean() {
        contextRunner.withUserConfiguration(SlowDropConfiguration.class).run(context -> {
            AbstractBeanFactory beanFactory = (AbstractBeanFactory) context.getBeanFactory();
            assertThat(beanFactory.getBeanPostProcessors())
                .filteredOn(DestructionAwareBeanPostProcessor.class::isInstance)
                .noneMatch(postProcessor -> postProcessor.getClass().getName().startsWith("dev.asyncdrop."));
        });
    }

    /** Closes a context on a thread of its own, and tells whether that thread was still interrupted afterwards. */
    static final class InterruptedCloser {

        final Thread thread;

        volatile boolean interruptedAfterClose;

        InterruptedCloser(ConfigurableApplicationContext context) {
            this.thread = new Thread(() -> {
                context.close();
                interruptedAfterClose = Thread.currentThread().isInterrupted();
            }, "interrupted-closer");
            this.thread.start();
        }

        void awaitClosed() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as("the close has returned").isFalse();
        }
    }

    /**
     * Interrupts the closing thread as the close starts, as a second close does that finds it waiting: Spring's
     * lifecycle processor then stops waiting for the drop phases at once.
     */
    static class InterruptingCloseListener implements ApplicationListener<ContextClosedEvent> {

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Fails the refresh from a listener of {@link ContextRefreshedEvent} that runs after the starter's own: both have
     * the lowest precedence, and this one is defined after it. The starter then takes the context for running.
     */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigureAfter(AsyncDropAutoConfiguration.class)
    static class FailingRefreshedListenerConfiguration {

        @Bean
        ApplicationListener<ContextRefreshedEvent> failingRefreshedListener() {
            return event -> {
                throw new IllegalStateException("Failed on purpose, after the refresh");
            };
        }
    }

    /**
     * A writer, dropped first, that uses a pool through a repository that is not droppable; with
     * {@code async-drop.resources.pool.phase} set, the pool is dropped in a lower phase.
     */
    @Configuration(proxyBeanMethods = false)
    static class WriterRepositoryPoolConfiguration {

        static volatile DropEvents lastEvents;

        @Bean
        static DropEvents dropEvents() {
            lastEvents = new DropEvents();
            return lastEvents;
        }

        @Bean(destroyMethod = "destroy")
        DestroyRecording pool(DropEvents events) {
            return new DestroyRecording("pool", events, Duration.ofMillis(100));
        }

        @Bean(destroyMethod = "destroy")
        DestroyedRepository repository(DestroyRecording pool, DropEvents events) {
            return new DestroyedRepository(events);
        }

        @Bean
        RecordingDroppable writer(DestroyedRepository repository, DropEvents events) {
            return new RecordingDroppable("writer", events, Duration.ofMillis(300));
        }
    }

    /** The writer, the repository and the pool, and a bean that fails the refresh once they exist. */
    @Configuration(proxyBeanMethods = false)
    @Import(WriterRepositoryPoolConfiguration.class)
    static class UsedRepositoryConfiguration {

        @Bean
        Object failing(RecordingDroppable writer) {
            throw new IllegalStateException("Failed on purpose");
        }
    }

    /** A pool, adapted by name, whose close waits for the {@code poolRelease} latch, and a bean it uses. */
    @Configuration(proxyBeanMethods = false)
    static class BlockingPoolConfiguration {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean(destroyMethod = "destroy")
        DestroyedBean usedByPool(DropEvents events) {
            return new DestroyedBean("usedByPool", events);
        }

        @Bean
        AutoCloseable blockingPool(DestroyedBean usedByPool, CountDownLatch poolRelease, DropEvents events) {
            return () -> {
                events.add("close:start");
                // Ignores interrupts, as a pool waiting for its connections may.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (poolRelease.getCount() > 0 && System.nanoTime() < deadline) {
                    try {
                        poolRelease.await(30, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException ex) {
                        // Keep waiting.
                    }
                }
                events.add("close:end");
            };
        }
    }

    /** Records its destruction. */
    static class DestroyedBean {

        private final String name;

        private final DropEvents events;

        DestroyedBean(String name, DropEvents events) {
            this.name = name;
            this.events = events;
        }

        public void destroy() {
            events.add("destroy:" + name);
        }
    }

    /** Not droppable, but used by a droppable bean: it must outlive that bean's drop. */
    static class DestroyedRepository {

        private final DropEvents events;

        DestroyedRepository(DropEvents events) {
            this.events = events;
        }

        public void destroy() {
            events.add("destroy:repository");
        }
    }
}
