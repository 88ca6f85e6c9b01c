package dev.asyncdrop.internal.jfr;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PhaseEventsTests {

    @TempDir
    Path directory;

    @Test
    void aRecordingHoldsOneDropEventPerResourceInDropOrderLastingAsLongAsItsDrop() throws Exception {
        DropPlan plan = DropPlan.builder()
                .add("jfrWriter", () -> delayed(50), (n) -> n.dependsOn("jfrPool"))
                .add("jfrPool", () -> CompletableFuture.completedFuture(null))
                .build();

        List<RecordedEvent> events = record(plan);

        List<RecordedEvent> drops = named(events, "dev.asyncdrop.Drop");
        assertThat(drops).extracting((event) -> event.getString("resource"), (event) -> event.getInt("phase"),
                (event) -> event.getString("outcome"))
                .containsExactly(tuple("jfrWriter", 0, "dropped"), tuple("jfrPool", 0, "dropped"));
        assertThat(drops.get(0).getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(drops.get(0).getEndTime()).isBeforeOrEqualTo(drops.get(1).getStartTime());
        RecordedEvent phase = named(events, "dev.asyncdrop.DropPhase").get(0);
        assertThat(phase.getInt("phase")).isZero();
        assertThat(phase.getInt("resources")).isEqualTo(2);
        assertThat(phase.getString("outcome")).isEqualTo("dropped");
        assertThat(phase.getDuration()).isGreaterThanOrEqualTo(drops.get(0).getDuration());
        assertThat(phase.getDuration("timeout")).isEqualTo(DropPlan.DEFAULT_PHASE_TIMEOUT);
    }

    @Test
    void failedTimedOutAndSkippedDropsAreEventsWithTheirOutcome() throws Exception {
        DropPlan plan = DropPlan.builder()
                .phaseTimeout(0, Duration.ofMillis(200))
                .add("jfrBroken", () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")))
                .add("jfrHanging", CompletableFuture::new, (n) -> n.dependsOn("jfrWaiting"))
                .add("jfrWaiting", () -> CompletableFuture.completedFuture(null))
                .build();

        List<RecordedEvent> drops = named(record(plan), "dev.asyncdrop.Drop");

        assertThat(drops).extracting((event) -> event.getString("resource"), (event) -> event.getString("outcome"))
                .containsExactlyInAnyOrder(tuple("jfrBroken", "failed"), tuple("jfrHanging", "timed out"),
                        tuple("jfrWaiting", "skipped"));
        assertThat(drops).filteredOn((event) -> event.getString("resource").equals("jfrBroken"))
                .singleElement()
                .satisfies((event) -> assertThat(event.getString("failure"))
                        .isEqualTo("java.lang.IllegalStateException: disk full"));
        assertThat(drops).filteredOn((event) -> event.getString("resource").equals("jfrWaiting"))
                .singleElement()
                .satisfies((event) -> assertThat(event.getDuration()).isZero());
    }

    @Test
    void withoutARecordingAPlanDropsAsUsual() throws Exception {
        DropReport report = DropPlan.builder()
                .add("jfrUnrecorded", () -> CompletableFuture.completedFuture(null))
                .build()
                .execute()
                .get(30, TimeUnit.SECONDS);

        assertThat(report.allDropped()).isTrue();
    }

    private List<RecordedEvent> record(DropPlan plan) throws Exception {
        Path file = directory.resolve("drops.jfr");
        Instant start;
        try (Recording recording = new Recording()) {
            recording.enable("dev.asyncdrop.Drop");
            recording.enable("dev.asyncdrop.DropPhase");
            recording.start();
            start = recording.getStartTime();
            plan.execute().get(30, TimeUnit.SECONDS);
            recording.stop();
            recording.dump(file);
        }
        return read(file, start);
    }

    private static List<RecordedEvent> read(Path file, Instant start) throws IOException {
        // A dump holds whole chunks, which may hold the events of earlier recordings.
        return RecordingFile.readAllEvents(file)
                .stream()
                .filter((event) -> event.getEventType().getName().startsWith("dev.asyncdrop."))
                .filter((event) -> !event.getStartTime().isBefore(start))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                .toList();
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        // Other tests of this JVM may drop plans at the same time: only this test's resources count.
        return events.stream()
                .filter((event) -> event.getEventType().getName().equals(name))
                .filter((event) -> !name.equals("dev.asyncdrop.Drop") || event.getString("resource").startsWith("jfr"))
                .toList();
    }

    private static CompletableFuture<Void> delayed(long millis) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }
}
