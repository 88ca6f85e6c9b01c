package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

import dev.asyncdrop.spring.autoconfigure.ShutdownDropTests.DestroyRecording;
import dev.asyncdrop.spring.autoconfigure.ShutdownDropTests.SlowDropConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

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
                AtomicBoolean interruptedAfterClose = new AtomicBoolean();
                Thread closer = new Thread(() -> {
                    context.close();
                    interruptedAfterClose.set(Thread.currentThread().isInterrupted());
                }, "interrupted-closer");
                closer.start();
                closer.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(closer.isAlive()).isFalse();
                assertThat(events.list()).containsExactly("start:slow", "end:slow", "destroy:slow");
                assertThat(interruptedAfterClose).as("the interrupt is kept for the caller").isTrue();
            });
    }

    @Test
    void whenTheRefreshFailsNoBeanThatADroppableBeanUsesIsDestroyedBeforeItsDrop(CapturedOutput output) {
        contextRunner.withUserConfiguration(UsedRepositoryConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            DropEvents events = UsedRepositoryConfiguration.lastEvents;
            assertThat(events.list()).containsSubsequence("start:writer", "end:writer", "destroy:repository")
                .containsSubsequence("start:writer", "end:writer", "start:pool", "end:pool", "destroy:pool");
            assertThat(output).contains("Exception encountered during context initialization")
                .contains("Dropping the 2 async-droppable beans created before the context failed to start: "
                        + "[pool, writer]");
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

    @Configuration(proxyBeanMethods = false)
    static class UsedRepositoryConfiguration {

        static volatile DropEvents lastEvents;

        @Bean
        static DropEvents dropEvents() {
            lastEvents = new DropEvents();
            return lastEvents;
        }

        @Bean(destroyMethod = "destroy")
        DestroyRecording pool(DropEvents events) {
            return new DestroyRecording("pool", events, Duration.ofMillis(20));
        }

        @Bean(destroyMethod = "destroy")
        DestroyedRepository repository(DestroyRecording pool, DropEvents events) {
            return new DestroyedRepository(events);
        }

        @Bean
        RecordingDroppable writer(DestroyedRepository repository, DropEvents events) {
            return new RecordingDroppable("writer", events, Duration.ofMillis(20));
        }

        @Bean
        Object failing(RecordingDroppable writer) {
            throw new IllegalStateException("Failed on purpose");
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
