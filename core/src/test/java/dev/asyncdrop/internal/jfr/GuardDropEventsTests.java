package dev.asyncdrop.internal.jfr;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class GuardDropEventsTests {

    @TempDir
    Path directory;

    @Test
    void aGuardDropIsAnEventWithItsResourceTypeAndOutcomeWhenARecordingAsksForIt() throws Exception {
        List<RecordedEvent> events = record(false, () -> {
            AsyncDropGuard.of(new RecordedSession(20)).asyncDrop().toCompletableFuture().get(30, TimeUnit.SECONDS);
            AsyncDropGuard.of(new FailingSession()).asyncDrop().toCompletableFuture().handle((ignored, ex) -> null)
                    .get(30, TimeUnit.SECONDS);
        });

        assertThat(events).extracting((event) -> event.getClass("resourceType").getName(),
                (event) -> event.getString("outcome"))
                .containsExactly(tuple(RecordedSession.class.getName(), "dropped"),
                        tuple(FailingSession.class.getName(), "failed"));
        assertThat(events.get(1).getString("failure")).isEqualTo("java.lang.IllegalStateException: closed twice");
    }

    @Test
    void byDefaultOnlyGuardDropsOfTenMillisecondsOrMoreAreRecorded() throws Exception {
        List<RecordedEvent> events = record(true, () -> {
            for (int i = 0; i < 10; i++) {
                AsyncDropGuard.of(new InstantSession()).close();
            }
            AsyncDropGuard.of(new RecordedSession(30)).close();
        });

        // The slow drop is recorded; the instant ones are not, unless a pause of this machine made one slow too.
        assertThat(events).isNotEmpty()
            .allSatisfy((event) -> assertThat(event.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(10)));
        assertThat(events).extracting((event) -> event.getClass("resourceType").getName())
            .contains(RecordedSession.class.getName());
    }

    @Test
    void withoutARecordingNothingWatchesGuardDrops() {
        assertThat(GuardDropEvents.enabled()).isFalse();
    }

    private List<RecordedEvent> record(boolean defaultThreshold, ThrowingRunnable drops) throws Exception {
        Path file = directory.resolve("guards.jfr");
        Instant start;
        try (Recording recording = new Recording()) {
            if (defaultThreshold) {
                recording.enable("dev.asyncdrop.GuardDrop");
            }
            else {
                recording.enable("dev.asyncdrop.GuardDrop").withoutThreshold();
            }
            recording.start();
            start = recording.getStartTime();
            drops.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file)
                .stream()
                .filter((event) -> event.getEventType().getName().equals("dev.asyncdrop.GuardDrop"))
                // A dump holds whole chunks, which may hold earlier recordings' events, and other tests may drop
                // guards at the same time: only this recording's drops of this test's resources count.
                .filter((event) -> !event.getStartTime().isBefore(start))
                .filter((event) -> event.getClass("resourceType").getName().startsWith(getClass().getName()))
                .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                .toList();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static final class RecordedSession implements AsyncDroppable {

        private final long millis;

        RecordedSession(long millis) {
            this.millis = millis;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
        }
    }

    static final class InstantSession implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class FailingSession implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.failedFuture(new IllegalStateException("closed twice"));
        }
    }
}
