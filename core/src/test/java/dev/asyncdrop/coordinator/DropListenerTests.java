package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.asyncdrop.LogCapture;
import dev.asyncdrop.internal.coordinator.DropListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DropListenerTests {

    @RegisterExtension
    final LogCapture logs = LogCapture.of(DropListeners.class);

    private final Drops drops = new Drops();

    @Test
    void listenersHearEveryStartFinishAndPhaseInOrder() {
        List<String> events = new CopyOnWriteArrayList<>();
        DropListener listener = new RecordingListener(events);
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

    @Test
    void aListenerThatBlocksHoldsUpNeitherTheDropsNorThePhaseDeadline() {
        CountDownLatch release = new CountDownLatch(1);
        DropListener blocking = new BlockingListener(release);
        try {
            DropPlan plan = DropPlan.builder()
                    .phaseTimeout(0, Duration.ofSeconds(1))
                    .add("hanging", drops.hanging("hanging"))
                    .add("writer", drops.instant("writer"), n -> n.dependsOn("pool"))
                    .add("pool", drops.delayed("pool", 5))
                    .listener(blocking)
                    .build();

            // Far beyond the phase timeout: a deadline that waited for the listener would never pass.
            DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(DropPlanTests.outcome(report, "hanging")).isEqualTo(DropOutcome.TIMED_OUT);
            assertThat(DropPlanTests.outcome(report, "writer")).isEqualTo(DropOutcome.DROPPED);
            assertThat(DropPlanTests.outcome(report, "pool")).isEqualTo(DropOutcome.DROPPED);
            await().atMost(Duration.ofSeconds(10)).until(() -> drops.timeoutCalls("hanging") == 1);
            assertThat(logs.records()).extracting(LogRecord::getMessage).anySatisfy(message -> assertThat(message)
                    .contains("Phase 0 completed without waiting any longer for its listeners", blocking.toString(),
                            "onDropFinished"));
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void listenersGetTheirWholeGraceAfterDropsThatTookMostOfThePhaseTimeout() {
        CountDownLatch release = new CountDownLatch(1);
        DropListener blocking = new BlockingListener(release);
        try {
            DropPlan plan = DropPlan.builder()
                    .phaseTimeout(0, Duration.ofMillis(500))
                    .add("slow", drops.delayed("slow", 400))
                    .listener(blocking)
                    .build();

            plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

            LogRecord warning = logs.await("without waiting any longer for its listeners");
            Matcher afterDrops = Pattern.compile("(\\d+) ms after its drops finished").matcher(warning.getMessage());
            assertThat(afterDrops.find()).as(warning.getMessage()).isTrue();
            assertThat(Long.parseLong(afterDrops.group(1))).isGreaterThanOrEqualTo(100);
            assertThat(warning.getMessage()).contains("BlockingListener has been in onDropFinished");
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aListenerThatThrowsAnErrorThatCannotBeRenderedFromEveryCallbackStillHearsEveryLaterCall() {
        List<String> heard = new CopyOnWriteArrayList<>();
        DropListener unrenderable = new DropListener() {
            @Override
            public void onDropStarted(String name, int phase) {
                heard.add("start " + name);
                throw new UnrenderableError();
            }

            @Override
            public void onDropFinished(DropRecord record) {
                heard.add("finish " + record.name());
                throw new UnrenderableError();
            }

            @Override
            public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
                heard.add("phase " + phase);
                throw new UnrenderableError();
            }

            @Override
            public String toString() {
                throw new IllegalStateException("no name for this listener");
            }
        };
        DropPlan plan = DropPlan.builder()
                .add("a", drops.instant("a"), n -> n.dependsOn("b"))
                .add("b", drops.delayed("b", 5))
                .listener(unrenderable)
                .build();

        // Well within the default 20 s phase timeout: the phase waited for the listener to hear its end.
        DropReport report = plan.execute().orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(2);
        assertThat(heard).containsExactly("start a", "finish a", "start b", "finish b", "phase 0");
        assertThat(logs.records()).hasSize(5).allSatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage())
                    .contains("its toString() threw java.lang.IllegalStateException: no name for this listener");
            assertThat(record.getThrown()).hasToString(UnrenderableError.class.getName()
                    + " (its toString() threw java.lang.IllegalStateException: no text)");
            assertThat(record.getThrown().getStackTrace()).isNotEmpty();
        });
    }

    @Test
    void aListenerThatBlocksDelaysOnlyItsOwnCallsWhichStillComeInOrder() {
        CountDownLatch release = new CountDownLatch(1);
        List<String> blockedHeard = new CopyOnWriteArrayList<>();
        List<String> freeHeard = new CopyOnWriteArrayList<>();
        DropListener blocked = new RecordingListener(blockedHeard) {
            @Override
            public void onDropStarted(String name, int phase) {
                waitFor(release);
                super.onDropStarted(name, phase);
            }
        };
        try {
            DropPlan plan = DropPlan.builder()
                    .defaultPhaseTimeout(Duration.ofSeconds(1))
                    .add("web", drops.delayed("web", 5), n -> n.phase(1).dependsOn("pool"))
                    .add("writer", drops.delayed("writer", 5), n -> n.dependsOn("pool"))
                    .add("pool", drops.instant("pool"))
                    .listener(blocked)
                    .listener(new RecordingListener(freeHeard))
                    .build();

            DropReport report = plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(report.count(DropOutcome.DROPPED)).isEqualTo(3);
            List<String> expected = List.of("start web 1", "finish web DROPPED", "phase 1 DROPPED",
                    "start writer 0", "finish writer DROPPED", "start pool 0", "finish pool DROPPED",
                    "phase 0 DROPPED");
            assertThat(freeHeard).containsExactlyElementsOf(expected);
            assertThat(blockedHeard).isEmpty();
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(blockedHeard)
                    .containsExactlyElementsOf(expected));
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aListenerHearsTheEventsOfADeadlineBeforeThePhaseCompletes() {
        List<String> heard = new CopyOnWriteArrayList<>();
        DropPlan plan = DropPlan.builder()
                .phaseTimeout(0, Duration.ofMillis(100))
                .add("hanging", drops.hanging("hanging"), n -> n.dependsOn("waiting"))
                .add("waiting", drops.instant("waiting"))
                .listener(new RecordingListener(heard))
                .build();

        plan.execute().orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(heard).containsExactly("start hanging 0", "finish hanging TIMED_OUT", "finish waiting SKIPPED",
                "phase 0 TIMED_OUT");
    }

    @Test
    void eachListenerHearsEveryStartBeforeItsFinishAndThePhaseLastWhileDropsFinishOnManyThreads()
            throws Exception {
        ExecutorService completers = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                List<String> first = new CopyOnWriteArrayList<>();
                List<String> second = new CopyOnWriteArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                DropPlan.Builder builder = DropPlan.builder();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String name = "r" + i;
                    boolean usesR0 = i > 0 && i % 3 == 0;
                    names.add(name);
                    builder.add(name, () -> CompletableFuture.runAsync(() -> {
                        waitFor(start);
                        if (ThreadLocalRandom.current().nextBoolean()) {
                            Thread.yield();
                        }
                    }, completers), n -> {
                        if (usesR0) {
                            n.dependsOn("r0");
                        }
                    });
                }
                DropPlan plan = builder.listener(new RecordingListener(first))
                        .listener(new RecordingListener(second))
                        .build();

                CompletableFuture<DropReport> execution = plan.execute();
                start.countDown();
                execution.get(30, TimeUnit.SECONDS);

                for (List<String> heard : List.of(first, second)) {
                    assertThat(heard).hasSize(2 * names.size() + 1).last().isEqualTo("phase 0 DROPPED");
                    for (String name : names) {
                        assertThat(heard.indexOf("start " + name + " 0"))
                                .isNotNegative()
                                .isLessThan(heard.indexOf("finish " + name + " DROPPED"));
                    }
                    // r0 is used by a third of the others: each of those finished before r0 started.
                    int r0Started = heard.indexOf("start r0 0");
                    for (int i = 3; i < names.size(); i += 3) {
                        assertThat(heard.indexOf("finish " + names.get(i) + " DROPPED")).isLessThan(r0Started);
                    }
                }
            }
        }
        finally {
            completers.shutdownNow();
        }
    }

    @Test
    void everyListenerHearsAStartBeforeItsFinishAndEachOnceWhileTheDeadlineRacesTheStarts() throws Exception {
        ExecutorService completers = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 60; round++) {
                CountDownLatch start = new CountDownLatch(1);
                DropPlan.Builder builder = DropPlan.builder()
                        .phaseTimeout(0, Duration.ofMillis(1 + round % 4));
                List<String> names = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    String name = "r" + i;
                    names.add(name);
                    boolean synchronous = i % 2 == 0;
                    builder.add(name, () -> {
                        waitFor(start);
                        return synchronous ? CompletableFuture.completedFuture(null)
                                : CompletableFuture.runAsync(() -> { }, completers);
                    }, n -> {
                        if (name.endsWith("0") && !name.equals("r0")) {
                            n.dependsOn("r0");
                        }
                    });
                }
                List<List<String>> heard = new ArrayList<>();
                CountDownLatch phasesHeard = new CountDownLatch(6);
                for (int listener = 0; listener < 6; listener++) {
                    List<String> events = new CopyOnWriteArrayList<>();
                    heard.add(events);
                    builder.listener(new RecordingListener(events) {
                        @Override
                        public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
                            phasesHeard.countDown();
                        }
                    });
                }
                DropPlan plan = builder.build();

                CompletableFuture<DropReport> execution = plan.execute();
                start.countDown();
                DropReport report = execution.get(30, TimeUnit.SECONDS);
                assertThat(phasesHeard.await(30, TimeUnit.SECONDS)).isTrue();

                for (List<String> events : heard) {
                    for (DropRecord record : report.records()) {
                        String started = "start " + record.name() + " 0";
                        String finished = "finish " + record.name() + " " + record.outcome();
                        assertThat(events).as(record.toString()).containsOnlyOnce(finished);
                        if (record.outcome() == DropOutcome.SKIPPED) {
                            assertThat(events).as(record.toString()).doesNotContain(started);
                        }
                        else {
                            assertThat(events).as(record.toString()).containsOnlyOnce(started);
                            assertThat(events.indexOf(started)).as(record.toString())
                                    .isLessThan(events.indexOf(finished));
                        }
                    }
                    assertThat(events).hasSize(2 * names.size() - report.count(DropOutcome.SKIPPED));
                }
            }
        }
        finally {
            completers.shutdownNow();
        }
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records every call in a list, in the words of the tests above. */
    static class RecordingListener implements DropListener {

        private final List<String> heard;

        RecordingListener(List<String> heard) {
            this.heard = heard;
        }

        @Override
        public void onDropStarted(String name, int phase) {
            heard.add("start " + name + " " + phase);
        }

        @Override
        public void onDropFinished(DropRecord record) {
            heard.add("finish " + record.name() + " " + record.outcome());
        }

        @Override
        public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
            heard.add("phase " + phase + " " + outcome);
        }
    }

    /** Blocks in every onDropFinished until the latch opens. */
    static final class BlockingListener implements DropListener {

        private final CountDownLatch release;

        BlockingListener(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void onDropFinished(DropRecord record) {
            waitFor(release);
        }

        @Override
        public String toString() {
            return "BlockingListener";
        }
    }

    /** An error that cannot say what it is: its message, its text and its cause all throw. */
    static final class UnrenderableError extends Error {

        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("no text");
        }

        @Override
        public synchronized Throwable getCause() {
            throw new IllegalStateException("no cause");
        }
    }
}
