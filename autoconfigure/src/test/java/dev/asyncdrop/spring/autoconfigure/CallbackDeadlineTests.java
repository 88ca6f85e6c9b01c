package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.ShutdownReportListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Callbacks never break a deadline: a {@link DropListener} or a {@link ShutdownReportListener} bean that blocks
 * holds neither the drops, nor Spring's lifecycle, nor the close. Each test's listener blocks until the test has
 * seen the close return, so a close that waited for it could not return at all.
 */
@ExtendWith(OutputCaptureExtension.class)
class CallbackDeadlineTests {

    /** Far beyond every timeout of these tests, and below Spring's 30 s wait for a lifecycle phase. */
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withBean(DropEvents.class)
        .withBean("pool", RecordingDroppable.class, () -> new RecordingDroppable("pool", new DropEvents()));

    @Test
    void aDropListenerThatBlocksHoldsNeitherThePhaseDeadlineNorTheClose(CapturedOutput output) {
        CountDownLatch release = new CountDownLatch(1);
        ShutdownDropTests.Hanging hanging = new ShutdownDropTests.Hanging();
        try {
            contextRunner.withPropertyValues("async-drop.timeout-per-phase=500ms")
                .withBean("hanging", ShutdownDropTests.Hanging.class, () -> hanging)
                .withBean("blockingListener", DropListener.class, () -> new DropListener() {
                    @Override
                    public void onDropFinished(DropRecord record) {
                        waitFor(release);
                    }

                    @Override
                    public String toString() {
                        return "blockingListener";
                    }
                })
                .run(context -> {
                    assertThat(closeOnAnotherThread(context)).as("close() returned while the listener blocks")
                        .isTrue();
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hanging.timeouts)
                        .hasValue(1));
                    assertThat(output).contains("Gave up waiting for bean 'hanging' to drop after")
                        .contains("Phase 2147479551 completed without waiting any longer for its listeners")
                        .contains("drop listener blockingListener has been in onDropFinished for");
                });
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aShutdownReportListenerThatBlocksHoldsNeitherTheLifecycleNorTheDestruction(CapturedOutput output) {
        CountDownLatch release = new CountDownLatch(1);
        ReportCapture reports = new ReportCapture();
        try {
            contextRunner.withPropertyValues("async-drop.timeout-per-phase=5s")
                .withBean("blockingReportListener", ShutdownReportListener.class, () -> new ShutdownReportListener() {
                    @Override
                    public void onShutdownReport(DropReport report) {
                        waitFor(release);
                    }

                    @Override
                    public String toString() {
                        return "blockingReportListener";
                    }
                })
                .withBean(ReportCapture.class, () -> reports)
                .run(context -> {
                    assertThat(closeOnAnotherThread(context)).as("close() returned while the listener blocks")
                        .isTrue();
                    assertThat(reports.outcomes()).as("the other listener still heard")
                        .containsEntry("pool", DropOutcome.DROPPED);
                    assertThat(output).doesNotContain("Gave up waiting for the drops")
                        .contains("Drop phase 2147479551 ended in")
                        .contains("ShutdownReportListener blockingReportListener has not returned");
                });
        }
        finally {
            release.countDown();
        }
    }

    private static boolean closeOnAnotherThread(ConfigurableApplicationContext context) throws InterruptedException {
        Thread closer = new Thread(context::close, "closer");
        closer.start();
        closer.join(CLOSE_PATIENCE.toMillis());
        return !closer.isAlive();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
