package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import dev.asyncdrop.coordinator.DropRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drops that hang, throw, block or complete late are bounded by the timeouts and never hold up the others; every
 * outcome is logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class DropTimeoutTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withBean(ReportCapture.class)
        .withBean(DropEvents.class);

    @Test
    void hangingThrowingBlockingAndLateDropsAreBoundedByThePhaseTimeout(CapturedOutput output) {
        contextRunner.withUserConfiguration(MisbehavingConfiguration.class)
            // Long enough for the well-behaved drops on a busy machine, short enough for a quick test.
            .withPropertyValues("async-drop.timeout-per-phase=2s")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                MisbehavingConfiguration beans = context.getBean(MisbehavingConfiguration.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("hanging", DropOutcome.TIMED_OUT)
                    .containsEntry("throwing", DropOutcome.FAILED)
                    .containsEntry("blocking", DropOutcome.TIMED_OUT)
                    .containsEntry("late", DropOutcome.TIMED_OUT)
                    .containsEntry("wellBehaved", DropOutcome.DROPPED)
                    .containsEntry("usedByHanging", DropOutcome.SKIPPED);
                assertThat(reports.records().get("throwing").failure()).get()
                    .extracting(Throwable::getMessage).isEqualTo("Disk full");
                // The hook runs on a drop thread of its own, so that a hook that blocks holds up nothing.
                await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(beans.hangingTimeouts).hasValue(1));
                beans.releaseBlocking.countDown();
                assertThat(output).contains("Drop phase 2147479551 ended in")
                    .contains(": 7 beans, 2 dropped, 1 failed, 3 timed out, 1 skipped: ")
                    .contains("Bean 'throwing' failed to drop after")
                    .contains("Disk full")
                    .contains("Gave up waiting for bean 'hanging' to drop after")
                    .contains("Skipped bean 'usedByHanging': phase 2147479551 timed out");
            });
    }

    @Test
    void aBeansOwnTimeoutEndsItsWaitAndItsDependenciesAreThenDropped(CapturedOutput output) {
        contextRunner.withUserConfiguration(HangingUserConfiguration.class)
            .withPropertyValues("async-drop.timeout-per-phase=10s", "async-drop.resources.hanging.timeout=200ms")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.outcomes()).containsEntry("hanging", DropOutcome.TIMED_OUT)
                    .containsEntry("pool", DropOutcome.DROPPED);
                DropRecord hanging = reports.records().get("hanging");
                DropRecord pool = reports.records().get("pool");
                assertThat(pool.startOffset()).isGreaterThanOrEqualTo(hanging.endOffset());
                assertThat(output).contains("Gave up waiting for bean 'hanging' to drop after");
            });
    }

    @Test
    void theReportIsLoggedWithItsTimelineUnlessDisabled(CapturedOutput output) {
        contextRunner.withUserConfiguration(HangingUserConfiguration.class)
            .withPropertyValues("async-drop.resources.hanging.timeout=100ms", "async-drop.report.log=false")
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.reports()).hasSize(1);
                assertThat(output).contains("Drop phase 2147479551 ended in").doesNotContain("Shutdown drop report");
            });
    }

    @Test
    void aShutdownReportListenerThatThrowsIsLoggedAndTheOthersAreStillCalled(CapturedOutput output) {
        contextRunner.withUserConfiguration(HangingUserConfiguration.class)
            .withPropertyValues("async-drop.resources.hanging.timeout=100ms")
            .withBean("throwingListener", dev.asyncdrop.spring.ShutdownReportListener.class, () -> report -> {
                throw new IllegalStateException("Listener broke");
            })
            .run(context -> {
                ReportCapture reports = context.getBean(ReportCapture.class);
                context.close();
                assertThat(reports.reports()).hasSize(1);
                assertThat(output).contains("Shutdown drop report").contains("Listener broke");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class MisbehavingConfiguration {

        final AtomicInteger hangingTimeouts = new AtomicInteger();

        final CountDownLatch releaseBlocking = new CountDownLatch(1);

        @Bean
        RecordingDroppable usedByHanging(DropEvents events) {
            return new RecordingDroppable("usedByHanging", events);
        }

        @Bean
        AsyncDroppable hanging(RecordingDroppable usedByHanging) {
            return new AsyncDroppable() {
                @Override
                public CompletionStage<Void> asyncDrop() {
                    return new CompletableFuture<>();
                }

                @Override
                public void onDropTimeout() {
                    hangingTimeouts.incrementAndGet();
                }
            };
        }

        @Bean
        AsyncDroppable throwing() {
            return () -> {
                throw new IllegalStateException("Disk full");
            };
        }

        @Bean
        AsyncDroppable blocking() {
            return () -> {
                try {
                    releaseBlocking.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return CompletableFuture.completedFuture(null);
            };
        }

        @Bean
        AsyncDroppable late() {
            return () -> CompletableFuture.runAsync(() -> {
            }, CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS));
        }

        @Bean
        RecordingDroppable wellBehaved(DropEvents events) {
            return new RecordingDroppable("wellBehaved", events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HangingUserConfiguration {

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events);
        }

        @Bean
        AsyncDroppable hanging(RecordingDroppable pool) {
            return CompletableFuture::new;
        }
    }
}
