package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flight recorder hook that holds a dump at JVM exit for the drops is global JVM state: it is there only while a
 * context is held for.
 */
class FlightRecordingHoldTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
        .withBean("droppable", AsyncDroppable.class, () -> () -> CompletableFuture.completedFuture(null));

    @Test
    void contextsStartedAndClosedOneAfterAnotherLeaveNoHookBehind() {
        try (Recording recording = new Recording()) {
            recording.start();
            for (int i = 0; i < 3; i++) {
                contextRunner.run(context -> {
                    assertThat(FlightRecordingHold.isHookRegistered()).as("held while the context lives").isTrue();
                    context.close();
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> !FlightRecordingHold.isHookRegistered());
            }
            // Removing it again tells whether the flight recorder still had it: it did not.
            assertThat(FlightRecorder.removePeriodicEvent(hook())).isFalse();
        }
    }

    @Test
    void theHookStaysWhileAnotherContextIsStillHeldFor() {
        try (Recording recording = new Recording()) {
            recording.start();
            contextRunner.run(outer -> {
                contextRunner.run(inner -> inner.close());
                assertThat(FlightRecordingHold.isHookRegistered()).isTrue();
                outer.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> !FlightRecordingHold.isHookRegistered());
            });
        }
    }

    private static Runnable hook() {
        return FlightRecordingHold.hook();
    }
}
