package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.asyncdrop.LogCapture;
import dev.asyncdrop.internal.coordinator.DropListeners;

import static org.assertj.core.api.Assertions.assertThat;

class DropListenerTests {

    @RegisterExtension
    final LogCapture logs = LogCapture.of(DropListeners.class);

    private final Drops drops = new Drops();

    @Test
    void listenersHearEveryStartFinishAndPhaseInOrder() {
        List<String> events = new CopyOnWriteArrayList<>();
        DropListener listener = new DropListener() {
            @Override
            public void onDropStarted(String name, int phase) {
                events.add("start " + name + " " + phase);
            }

            @Override
            public void onDropFinished(DropRecord record) {
                events.add("finish " + record.name() + " " + record.outcome());
            }

            @Override
            public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
                events.add("phase " + phase + " " + outcome);
            }
        };
        DropPlan plan = DropPlan.builder()
                .add("web", drops.delayed("web", 5), n -> n.phase(1).dependsOn("pool"))
                .add("writer", drops.delayed("writer", 5), n -> n.dependsOn("pool"))
                .add("pool", drops.instant("pool"))
                .listener(listener)
                .build();

        plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(events).containsExactly("start web 1", "finish web DROPPED", "phase 1 DROPPED",
                "start writer 0", "finish writer DROPPED", "start pool 0", "finish pool DROPPED", "phase 0 DROPPED");
    }

    @Test
    void aListenerThatThrowsIsLoggedAndIgnoredAndOthersStillHear() {
        List<String> heard = new CopyOnWriteArrayList<>();
        DropListener throwing = new DropListener() {
            @Override
            public void onDropStarted(String name, int phase) {
                throw new IllegalStateException("listener broke on start");
            }

            @Override
            public void onDropFinished(DropRecord record) {
                throw new AssertionError("listener broke on finish, with an error rather than an exception");
            }

            @Override
            public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
                throw new IllegalStateException("listener broke on phase");
            }
        };
        DropListener counting = new DropListener() {
            @Override
            public void onDropFinished(DropRecord record) {
                heard.add(record.name());
            }

            @Override
            public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
                heard.add("phase " + phase);
            }
        };
        DropPlan plan = DropPlan.builder()
                .add("a", drops.instant("a"), n -> n.dependsOn("b"))
                .add("b", drops.delayed("b", 5))
                .listener(throwing)
                .listener(counting)
                .build();

        DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(2);
        assertThat(heard).containsExactly("a", "b", "phase 0");
        assertThat(logs.records()).hasSize(5).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getThrown()).hasMessageStartingWith("listener broke on");
        });
        assertThat(logs.records()).extracting(LogRecord::getMessage).anySatisfy(message -> assertThat(message)
                .contains("threw from onPhaseFinished; ignoring it"));
    }
}
