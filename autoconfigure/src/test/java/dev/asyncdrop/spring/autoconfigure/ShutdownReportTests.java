package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the drops tell: drop listeners, shutdown report listeners, the coordinator's last report and the startup
 * warning about Spring's shutdown timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownReportTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
        .withUserConfiguration(TwoPhasesConfiguration.class)
        .withPropertyValues("async-drop.resources.pool.phase=10", "async-drop.timeout-per-phase=5s");

    @Test
    void dropListenerBeansHearAboutEveryDrop() {
        contextRunner.withBean(RecordingDropListener.class).run(context -> {
            RecordingDropListener listener = context.getBean(RecordingDropListener.class);
            context.close();
            assertThat(listener.started).containsExactlyInAnyOrder("asyncDropScope", "writer", "pool");
            assertThat(listener.finished).extracting(DropRecord::name)
                .containsExactlyInAnyOrder("asyncDropScope", "writer", "pool");
            assertThat(listener.phases).containsExactly(2147479551, 10);
        });
    }

    @Test
    void shutdownReportListenersAreCalledOnceWithEveryPhase() {
        contextRunner.run(context -> {
            ReportCapture reports = context.getBean(ReportCapture.class);
            BeanDropCoordinator coordinator = context.getBean(BeanDropCoordinator.class);
            assertThat(coordinator.lastReport()).isEmpty();
            context.close();
            assertThat(reports.reports()).hasSize(1);
            assertThat(reports.outcomes()).containsOnlyKeys("asyncDropScope", "writer", "pool")
                .containsValues(DropOutcome.DROPPED);
            DropReport last = coordinator.lastReport().orElseThrow();
            assertThat(last.records()).extracting(DropRecord::name)
                .containsExactlyInAnyOrder("asyncDropScope", "writer", "pool");
        });
    }

    @Test
    void shutdownReportListenersAreCalledOnceAfterAFailedRefresh(CapturedOutput output) {
        contextRunner.withBean("failing", Object.class, () -> {
                throw new IllegalStateException("Failed on purpose");
            })
            .run(context -> {
                assertThat(context).hasFailed();
                ReportCapture reports = TwoPhasesConfiguration.lastReports;
                assertThat(reports.reports()).hasSize(1);
                assertThat(reports.outcomes()).containsEntry("writer", DropOutcome.DROPPED)
                    .containsEntry("pool", DropOutcome.DROPPED);
                assertThat(output).contains("Exception encountered during context initialization")
                    .contains("Error creating bean with name 'failing'");
            });
    }

    @Test
    void aPhaseLogsOneLineAndTheReportIsLoggedWithItsTimeline(CapturedOutput output) {
        contextRunner.run(context -> {
            context.close();
            assertThat(output).containsPattern("Drop phase 2147479551 ended in \\d+ ms: 2 beans, 2 dropped: "
                    + "asyncDropScope, writer\\R")
                .containsPattern("Drop phase 10 ended in \\d+ ms: 1 bean, 1 dropped: pool\\R")
                .contains("Shutdown drop report:")
                .contains("Critical path:");
        });
    }

    @Test
    void warnsAtStartupWhenALifecycleBeanUsesABeanDroppedBeforeItStops(CapturedOutput output) {
        contextRunner.withBean("consumer", Consumer.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("Lifecycle bean 'consumer' (phase 0) uses bean 'writer' ('writer' is "
                    + "injected into 'consumer'), which is dropped in phase 2147479551, before 'consumer' has stopped: "
                    + "Spring stops phases highest first. Give 'consumer' a phase above 2147479551, or drop 'writer' "
                    + "in a phase below 0 (async-drop.resources.writer.phase).");
        });
    }

    @Test
    void doesNotWarnWhenALifecycleBeanStopsBeforeWhatItUsesIsDropped(CapturedOutput output) {
        contextRunner.withBean("consumer", Consumer.class)
            .withPropertyValues("async-drop.resources.writer.phase=-10", "async-drop.resources.pool.phase=-10")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(output).doesNotContain("Lifecycle bean 'consumer'");
            });
    }

    @Test
    void warnsAtStartupWhenADroppableBeanIsALifecycleBeanThatWouldStopAfterItsDrop(CapturedOutput output) {
        contextRunner.withBean("listenerContainer", LifecycleDroppable.class, () -> new LifecycleDroppable(0))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(output).contains("Bean 'listenerContainer' is dropped in phase 2147479551, but it is also a "
                        + "lifecycle bean that Spring stops in phase 0, no earlier: it would be dropped while still "
                        + "running, then stopped. Drop it in a phase below 0 "
                        + "(async-drop.resources.listenerContainer.phase), or give it a lifecycle phase above "
                        + "2147479551.");
            });
    }

    @Test
    void aDroppableLifecycleBeanDroppedBelowItsLifecyclePhaseIsStoppedFirstWithoutAWarning(CapturedOutput output) {
        DropEvents events = new DropEvents();
        contextRunner
            .withBean("listenerContainer", LifecycleDroppable.class, () -> new LifecycleDroppable(0, events))
            .withBean("lateStopper", LifecycleDroppable.class,
                    () -> new LifecycleDroppable(Integer.MAX_VALUE, "lateStopper", events))
            .withPropertyValues("async-drop.resources.listenerContainer.phase=-1")
            .run(context -> {
                context.close();
                assertThat(events.list()).containsSubsequence("stop:listenerContainer", "start:listenerContainer")
                    .containsSubsequence("stop:lateStopper", "start:lateStopper");
                assertThat(output).doesNotContain("but it is also a lifecycle bean");
            });
    }

    /** A droppable bean that is also a lifecycle bean, such as a message listener container. */
    static class LifecycleDroppable extends RecordingDroppable implements SmartLifecycle {

        private final int phase;

        private volatile boolean running;

        LifecycleDroppable(int phase) {
            this(phase, new DropEvents());
        }

        LifecycleDroppable(int phase, DropEvents events) {
            this(phase, "listenerContainer", events);
        }

        LifecycleDroppable(int phase, String name, DropEvents events) {
            super(name, events);
            this.phase = phase;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            events().add("stop:" + name());
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }

    /** Consumes messages with the writer until it is stopped. */
    static class Consumer implements SmartLifecycle {

        private volatile boolean running;

        Consumer(RecordingDroppable writer) {
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return 0;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPhasesConfiguration {

        static volatile ReportCapture lastReports;

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events, Duration.ofMillis(10));
        }

        @Bean
        RecordingDroppable writer(RecordingDroppable pool, DropEvents events) {
            return new RecordingDroppable("writer", events, Duration.ofMillis(10));
        }

        @Bean
        static ReportCapture reportCapture() {
            lastReports = new ReportCapture();
            return lastReports;
        }
    }

    static class RecordingDropListener implements DropListener {

        final List<String> started = new CopyOnWriteArrayList<>();

        final List<DropRecord> finished = new CopyOnWriteArrayList<>();

        final List<Integer> phases = new CopyOnWriteArrayList<>();

        @Override
        public void onDropStarted(String name, int phase) {
            started.add(name);
        }

        @Override
        public void onDropFinished(DropRecord record) {
            finished.add(record);
        }

        @Override
        public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
            phases.add(phase);
        }
    }
}
