package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.test.util.ReflectionTestUtils;

import dev.asyncdrop.spring.AsyncDropPhases;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownWorstCase;
import dev.asyncdrop.spring.ShutdownWorstCase.PhaseWait;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfigurationTests.WriterRepositoryPoolConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * How long Spring waits for the drop phases, and the worst case of the whole shutdown.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownTimeoutsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withPropertyValues("async-drop.timeout-per-phase=5s");

    @Test
    void eachDropPhasesTimeoutAndASecondForItsReportIsHandedToSpringsLifecycleProcessor(CapturedOutput output) {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=2s", "async-drop.resources.pool.phase=10",
                    "async-drop.phases.10.timeout=3s")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(phaseTimeouts(context.getBean(LifecycleProcessor.class)))
                    .containsEntry(AsyncDropPhases.DEFAULT, 6_000L)
                    .containsEntry(10, 4_000L)
                    .hasSize(2);
                assertThat(output).doesNotContain("WARN");
            });
    }

    @Test
    void aLongerTimeoutAlreadyGivenForADropPhaseIsKeptAndCountedInTheWorstCase() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean("lifecycleProcessor", DefaultLifecycleProcessor.class, () -> {
                DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
                processor.setTimeoutForShutdownPhase(AsyncDropPhases.DEFAULT, 45_000L);
                return processor;
            })
            .run(context -> {
                assertThat(phaseTimeouts(context.getBean(LifecycleProcessor.class)))
                    .containsEntry(AsyncDropPhases.DEFAULT, 45_000L);
                ShutdownWorstCase worstCase = context.getBean(BeanDropCoordinator.class).worstCase().orElseThrow();
                assertThat(worstCase.phases()).singleElement()
                    .satisfies(wait -> assertThat(wait.timeout()).isEqualTo(Duration.ofSeconds(45)));
            });
    }

    @Test
    void aShorterTimeoutAlreadyGivenForADropPhaseIsRaisedToTheDrops() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean("lifecycleProcessor", DefaultLifecycleProcessor.class, () -> {
                DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
                processor.setTimeoutForShutdownPhase(AsyncDropPhases.DEFAULT, 2_000L);
                return processor;
            })
            .run(context -> assertThat(phaseTimeouts(context.getBean(LifecycleProcessor.class)))
                .containsEntry(AsyncDropPhases.DEFAULT, 6_000L));
    }

    @Test
    void springsLongerTimeoutPerPhaseIsKeptForADropPhaseWhereOtherLifecycleBeansStop() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean("samePhase", PhasedLifecycle.Waited.class,
                    () -> new PhasedLifecycle.Waited(AsyncDropPhases.DEFAULT))
            .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=30s")
            .run(context -> {
                assertThat(phaseTimeouts(context.getBean(LifecycleProcessor.class)))
                    .containsEntry(AsyncDropPhases.DEFAULT, 30_000L);
                ShutdownWorstCase worstCase = context.getBean(BeanDropCoordinator.class).worstCase().orElseThrow();
                assertThat(worstCase.phases()).singleElement().satisfies(wait -> {
                    assertThat(wait.timeout()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(wait.property()).isEqualTo("spring.lifecycle.timeout-per-shutdown-phase");
                });
            });
    }

    @Test
    void springWaitsForADropPhaseAsLongAsItsDropsMayTakeBeforeItStopsLowerPhases() {
        contextRunner.withUserConfiguration(SlowDropAndLowerLifecycleConfiguration.class)
            .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=100ms")
            .run(context -> {
                DropEvents events = context.getBean(DropEvents.class);
                context.close();
                assertThat(events.list()).containsSubsequence("start:slow", "end:slow", "stop:lower");
            });
    }

    @Test
    void withoutALifecycleProcessorBeanTheProcessorTheContextCreatesGetsTheTimeouts() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
            .withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.timeout-per-phase=5s")
            .run(context -> assertThat(phaseTimeouts(context.getBean(LifecycleProcessor.class)))
                .containsEntry(AsyncDropPhases.DEFAULT, 6_000L));
    }

    @Test
    void aLifecycleProcessorThatIsNotSpringsOwnCannotBeToldAndIsWarnedAbout(CapturedOutput output) {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean("lifecycleProcessor", LifecycleProcessor.class, OwnLifecycleProcessor::new)
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(output).contains("The lifecycle processor " + OwnLifecycleProcessor.class.getName()
                        + " is not a DefaultLifecycleProcessor, so it cannot be told how long drop phase 2147479551 "
                        + "may take: make sure it waits at least 6s for that shutdown phase, or it moves on to lower "
                        + "phases, such as executors, while beans are still being dropped.");
            });
    }

    @Test
    void theWorstCaseIsTheSumOfThePhasesSpringWaitsForHighestFirst() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class, LowerLifecycleConfiguration.class)
            .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=30s")
            .run(context -> {
                ShutdownWorstCase worstCase = context.getBean(BeanDropCoordinator.class).worstCase().orElseThrow();
                assertThat(worstCase.phases()).extracting(PhaseWait::phase, PhaseWait::timeout, PhaseWait::property,
                        PhaseWait::droppables, PhaseWait::lifecycleBeans)
                    .containsExactly(
                            tuple(AsyncDropPhases.DEFAULT, Duration.ofSeconds(6), "async-drop.timeout-per-phase", 3,
                                    List.of()),
                            tuple(0, Duration.ofSeconds(30), "spring.lifecycle.timeout-per-shutdown-phase", 0,
                                    List.of("lower")));
                assertThat(worstCase.total()).isEqualTo(Duration.ofSeconds(36));
                assertThat(worstCase.budget()).isNull();
                assertThat(worstCase.exceedsBudget()).isFalse();
            });
    }

    @Test
    void aLifecycleBeanThatStopsSynchronouslyIsBoundedByNoTimeoutAndLeftOut() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean("logging", PhasedLifecycle.class, () -> new PhasedLifecycle(5))
            .run(context -> assertThat(context.getBean(BeanDropCoordinator.class).worstCase().orElseThrow().phases())
                .extracting(PhaseWait::phase)
                .containsExactly(AsyncDropPhases.DEFAULT));
    }

    @Test
    void aShutdownThatFitsItsBudgetStarts() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class, LowerLifecycleConfiguration.class)
            .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=30s", "async-drop.shutdown-budget=36s")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(BeanDropCoordinator.class).worstCase()).hasValueSatisfying(
                        (worstCase) -> assertThat(worstCase.budget()).isEqualTo(Duration.ofSeconds(36)));
            });
    }

    @Test
    void aBudgetThatIsNotPositiveIsRejected(CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.shutdown-budget=0s")
            .run(context -> assertThat(context).getFailure()
                .hasRootCauseMessage("'shutdownBudget' must be positive, but was PT0S"));
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, Long> phaseTimeouts(LifecycleProcessor processor) {
        return (Map<Integer, Long>) ReflectionTestUtils.getField(processor, "timeoutsForShutdownPhases");
    }

    @Configuration(proxyBeanMethods = false)
    static class LowerLifecycleConfiguration {

        @Bean
        PhasedLifecycle lower(DropEvents events) {
            return new PhasedLifecycle.Waited("lower", 0, events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowDropAndLowerLifecycleConfiguration {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable slow(DropEvents events) {
            return new RecordingDroppable("slow", events, Duration.ofMillis(600));
        }

        @Bean
        PhasedLifecycle lower(DropEvents events) {
            return new PhasedLifecycle.Waited("lower", 0, events);
        }
    }

    static class OwnLifecycleProcessor implements LifecycleProcessor {

        @Override
        public void onRefresh() {
        }

        @Override
        public void onClose() {
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }
    }
}
