package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.spring.AsyncDropPhases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A flight recording of a real context close, taken in the test's JVM.
 */
class ShutdownFlightRecordingTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
        .withPropertyValues("async-drop.timeout-per-phase=5s");

    @TempDir
    Path directory;

    @Test
    void aRecordingOfAContextCloseHoldsOneDropEventPerBeanInDependencyOrder() throws Exception {
        Path file = directory.resolve("close.jfr");
        Instant start;
        try (Recording recording = new Recording()) {
            recording.enable("dev.asyncdrop.Drop");
            recording.enable("dev.asyncdrop.DropPhase");
            recording.start();
            start = recording.getStartTime();
            contextRunner.withUserConfiguration(RecordedWriterRepositoryPoolConfiguration.class)
                .run((context) -> context.close());
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file)
            .stream()
            .filter((event) -> !event.getStartTime().isBefore(start))
            .sorted(Comparator.comparing(RecordedEvent::getStartTime))
            .toList();
        List<RecordedEvent> drops = events.stream()
            .filter((event) -> event.getEventType().getName().equals("dev.asyncdrop.Drop"))
            .toList();
        assertThat(drops).extracting((event) -> event.getString("resource"), (event) -> event.getInt("phase"),
                (event) -> event.getString("outcome"))
            .containsExactly(tuple("asyncDropScope", AsyncDropPhases.DEFAULT, "dropped"),
                    tuple("recordedWriter", AsyncDropPhases.DEFAULT, "dropped"),
                    tuple("recordedPool", AsyncDropPhases.DEFAULT, "dropped"));
        for (int i = 1; i < drops.size(); i++) {
            assertThat(drops.get(i).getStartTime()).isAfterOrEqualTo(drops.get(i - 1).getEndTime());
        }
        assertThat(drops.get(1).getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(events).filteredOn((event) -> event.getEventType().getName().equals("dev.asyncdrop.DropPhase"))
            .singleElement()
            .satisfies((phase) -> assertThat(phase.getInt("resources")).isEqualTo(3));
    }

    @Configuration(proxyBeanMethods = false)
    static class RecordedWriterRepositoryPoolConfiguration {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable recordedPool(DropEvents events) {
            return new RecordingDroppable("recordedPool", events, Duration.ofMillis(50));
        }

        @Bean
        Object recordedRepository(RecordingDroppable recordedPool) {
            return new Object();
        }

        @Bean
        RecordingDroppable recordedWriter(DropEvents events, Object recordedRepository) {
            return new RecordingDroppable("recordedWriter", events, Duration.ofMillis(50));
        }
    }
}
