package dev.asyncdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.asyncdrop.LeakDetection.Level;

class LeakDetectionTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Level originalLevel = LeakDetection.level();

    private final List<LeakReport> reports = new CopyOnWriteArrayList<>();

    private final LeakListener listener = this.reports::add;

    // Leak reports arrive on the leak detector's thread, possibly after the test that provoked them.
    @RegisterExtension
    static final LogCapture logs = LogCapture.of(LeakDetection.class);

    @BeforeEach
    void listen() {
        LeakDetection.addListener(this.listener);
    }

    @AfterEach
    void restore() {
        LeakDetection.removeListener(this.listener);
        LeakDetection.setLevel(this.originalLevel);
    }

    /**
     * Sampled leaks may still be on their way when the last test ends: a leak created after all of them is reported
     * once they have been collected, so waiting for it keeps them inside the capture.
     */
    @AfterAll
    static void reportPendingLeaksWhileCaptured() {
        Level before = LeakDetection.level();
        LeakDetection.setLevel(Level.PARANOID);
        try {
            for (int round = 0; round < 2; round++) {
                String name = "last-" + round;
                forgetAGuard(name);
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
                    System.gc();
                    return logs.contains("LeakyResource[" + name + "]");
                });
            }
        }
        finally {
            LeakDetection.setLevel(before);
        }
    }

    @Test
    void aForgottenGuardIsReportedAfterGarbageCollectionWithTypeDescriptionAndCreationStack() {
        LeakDetection.setLevel(Level.PARANOID);
        long leaksBefore = LeakDetection.leaksDetected();

        forgetAGuard("forgotten");

        LeakReport report = awaitReport("forgotten");
        assertThat(report.resourceType()).isEqualTo(LeakyResource.class);
        assertThat(report.description()).isEqualTo("LeakyResource[forgotten]");
        StackTraceElement[] stack = report.creationStack().orElseThrow();
        assertThat(stack[0].getMethodName()).isEqualTo("forgetAGuard");
        assertThat(stack[0].getClassName()).isEqualTo(LeakDetectionTests.class.getName());
        assertThat(LeakDetection.leaksDetected()).isGreaterThan(leaksBefore);
    }

    @Test
    void aLeakIsLoggedAtErrorSayingHowToFixIt() {
        LeakDetection.setLevel(Level.PARANOID);

        forgetAGuard("logged");

        awaitReport("logged");
        LogRecord record = logs.await("LeakyResource[logged]");
        assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
        assertThat(record.getMessage()).contains(LeakyResource.class.getName())
                .contains("Drop the guard with asyncDrop() or close(), or pass it to AsyncDrop.using")
                .contains("at " + LeakDetectionTests.class.getName() + ".forgetAGuard");
    }

    @Test
    void droppedAndDisarmedGuardsAreNeverReported() {
        LeakDetection.setLevel(Level.PARANOID);
        dropAGuard("dropped");
        disarmAGuard("disarmed");
        mapAGuard("mapped-away");

        forgetAGuard("canary");

        awaitReport("canary");
        assertThat(descriptions()).doesNotContain("LeakyResource[dropped]", "LeakyResource[disarmed]",
                "LeakyResource[mapped-away]");
    }

    @Test
    void nothingIsReportedWhenDisabled() {
        LeakDetection.setLevel(Level.DISABLED);
        forgetAGuard("unwatched");
        LeakDetection.setLevel(Level.PARANOID);

        forgetAGuard("canary");

        awaitReport("canary");
        assertThat(descriptions()).doesNotContain("LeakyResource[unwatched]");
    }

    @Test
    void sampledLevelWatchesAboutOneGuardIn128() {
        LeakDetection.setLevel(Level.SAMPLED);
        int guards = 128 * 100;
        for (int i = 0; i < guards; i++) {
            forgetAGuard("sampled");
        }

        // Binomial(12800, 1/128): mean 100, standard deviation 10; the bounds are far out in the tails.
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> collectedCount("LeakyResource[sampled]") >= 50);
        assertThat(collectedCount("LeakyResource[sampled]")).isLessThan(200);
    }

    @Test
    void liveGuardsCountsEveryGuardUntilItIsDroppedOrDisarmed() {
        LeakDetection.setLevel(Level.DISABLED);
        long before = LeakDetection.liveGuards();

        AsyncDropGuard<LeakyResource> a = AsyncDropGuard.of(new LeakyResource("a"));
        AsyncDropGuard<LeakyResource> b = AsyncDropGuard.of(new LeakyResource("b"));
        AsyncDropGuard<LeakyResource> c = AsyncDropGuard.of(new LeakyResource("c"));
        assertThat(LeakDetection.liveGuards()).isEqualTo(before + 3);

        a.asyncDrop();
        a.asyncDrop();
        assertThat(LeakDetection.liveGuards()).isEqualTo(before + 2);
        b.unsafeIntoInnerDontDrop();
        assertThat(LeakDetection.liveGuards()).isEqualTo(before + 1);
        AsyncDropGuard<LeakyResource> mapped = c.unsafeMap(resource -> new LeakyResource("mapped"));
        assertThat(LeakDetection.liveGuards()).isEqualTo(before + 1);
        mapped.close();
        assertThat(LeakDetection.liveGuards()).isEqualTo(before);
    }

    @Test
    void aLeakedGuardStaysCountedAsLiveWhetherOrNotItWasWatched() {
        LeakDetection.setLevel(Level.DISABLED);
        long before = LeakDetection.liveGuards();
        forgetAGuard("unwatched-count");
        LeakDetection.setLevel(Level.PARANOID);
        forgetAGuard("watched-count");

        awaitReport("watched-count");

        assertThat(LeakDetection.liveGuards()).isEqualTo(before + 2);
    }

    @Test
    void theCreationStackOfATrackedOrSharedGuardStartsAtTheCallersFrame() {
        LeakDetection.setLevel(Level.PARANOID);

        forgetATrackedGuard("tracked-in-scope");

        StackTraceElement[] stack = awaitReport("tracked-in-scope").creationStack().orElseThrow();
        assertThat(stack[0].getClassName()).isEqualTo(LeakDetectionTests.class.getName());
        assertThat(stack[0].getMethodName()).isEqualTo("forgetATrackedGuard");
    }

    @Test
    void aThrowingListenerIsIgnoredAndOthersStillHear() {
        LeakDetection.setLevel(Level.PARANOID);
        LeakListener throwing = report -> {
            throw new IllegalStateException("listener bug");
        };
        LeakDetection.addListener(throwing);
        try {
            forgetAGuard("despite-throwing-listener");

            awaitReport("despite-throwing-listener");
            LogRecord warning = logs.await("threw; ignoring it");
            assertThat(warning.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(warning.getThrown()).hasMessage("listener bug");
        }
        finally {
            LeakDetection.removeListener(throwing);
        }
    }

    @Test
    void aListenerThatThrowsAnErrorStopsNeitherTheListenersAfterItNorLaterReports() {
        LeakDetection.setLevel(Level.PARANOID);
        List<LeakReport> laterHeard = new CopyOnWriteArrayList<>();
        LeakListener throwing = report -> {
            throw new AssertionError("listener failed an assertion of its own");
        };
        LeakListener later = laterHeard::add;
        LeakDetection.addListener(throwing);
        LeakDetection.addListener(later);
        try {
            for (String name : List.of("first-despite-error", "second-despite-error")) {
                forgetAGuard(name);

                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
                    System.gc();
                    return laterHeard.stream()
                            .anyMatch(report -> report.description().equals("LeakyResource[" + name + "]"));
                });
            }
            assertThat(logs.records(java.util.logging.Level.WARNING))
                    .filteredOn(record -> record.getMessage().contains("threw; ignoring it"))
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(record -> assertThat(record.getThrown())
                            .isInstanceOf(AssertionError.class)
                            .hasMessage("listener failed an assertion of its own"));
        }
        finally {
            LeakDetection.removeListener(throwing);
            LeakDetection.removeListener(later);
        }
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        LeakDetection.setLevel(Level.PARANOID);
        List<LeakReport> removedHeard = new CopyOnWriteArrayList<>();
        LeakListener removed = removedHeard::add;
        LeakDetection.addListener(removed);
        LeakDetection.removeListener(removed);

        forgetAGuard("after-removal");

        awaitReport("after-removal");
        assertThat(removedHeard).isEmpty();
    }

    @Test
    void aResourceWhoseToStringThrowsIsStillReported() {
        LeakDetection.setLevel(Level.PARANOID);

        forgetAGuardOf(new AsyncDroppable() {
            @Override
            public CompletionStage<Void> asyncDrop() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String toString() {
                throw new IllegalStateException("no description");
            }
        });

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return this.reports.stream().anyMatch(report -> report.description().contains("no description"));
        });
    }

    @Test
    void theLevelPropertyIsReadCaseInsensitivelyAndABadValueFallsBackToSampledWithAWarning() {
        assertThat(LeakDetection.levelFrom(null)).isEqualTo(Level.SAMPLED);
        assertThat(LeakDetection.levelFrom(" ")).isEqualTo(Level.SAMPLED);
        assertThat(LeakDetection.levelFrom("paranoid")).isEqualTo(Level.PARANOID);
        assertThat(LeakDetection.levelFrom(" Disabled ")).isEqualTo(Level.DISABLED);
        // Leak reports of earlier tests may still arrive; only warnings count here.
        assertThat(logs.records(java.util.logging.Level.WARNING)).isEmpty();

        assertThat(LeakDetection.levelFrom("sometimes")).isEqualTo(Level.SAMPLED);

        assertThat(logs.records(java.util.logging.Level.WARNING)).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(record.getMessage()).contains("asyncdrop.leakDetection.level").contains("'sometimes'")
                    .contains("[DISABLED, SAMPLED, PARANOID]");
        });
    }

    @Test
    void setLevelChangesTheLevelAndRejectsNull() {
        LeakDetection.setLevel(Level.DISABLED);
        assertThat(LeakDetection.level()).isEqualTo(Level.DISABLED);
        assertThatThrownBy(() -> LeakDetection.setLevel(null)).hasMessage("'level' must not be null");
        assertThatThrownBy(() -> LeakDetection.addListener(null)).hasMessage("'listener' must not be null");
    }

    @Test
    void aReportSaysWhatLeakedHowToFixItAndWhereItWasCreated() {
        StackTraceElement frame = new StackTraceElement("com.example.Service", "open", "Service.java", 42);
        LeakReport withStack = new LeakReport(String.class, "pool#1", new StackTraceElement[] { frame });
        LeakReport withoutStack = new LeakReport(String.class, "pool#2", null);

        assertThat(withStack.toString()).contains("java.lang.String").contains("pool#1")
                .contains("Drop the guard with asyncDrop() or close(), or pass it to AsyncDrop.using")
                .contains("at com.example.Service.open(Service.java:42)");
        assertThat(withoutStack.toString()).contains("asyncdrop.leakDetection.level=PARANOID");
        assertThat(withoutStack.creationStack()).isEmpty();
        withStack.creationStack().orElseThrow()[0] = null;
        assertThat(withStack.creationStack().orElseThrow()[0]).as("a copy each time").isEqualTo(frame);
    }

    private LeakReport awaitReport(String name) {
        String description = "LeakyResource[" + name + "]";
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return this.reports.stream().anyMatch(report -> report.description().equals(description));
        });
        return this.reports.stream().filter(report -> report.description().equals(description)).findFirst()
                .orElseThrow();
    }

    private long collectedCount(String description) {
        System.gc();
        return this.reports.stream().filter(report -> report.description().equals(description)).count();
    }

    private List<String> descriptions() {
        return this.reports.stream().map(LeakReport::description).collect(Collectors.toList());
    }

    private static void forgetAGuard(String name) {
        AsyncDropGuard.of(new LeakyResource(name));
    }

    private static void forgetATrackedGuard(String name) {
        AsyncDropScope.create().unsafeIntoInnerDontDrop().track(new LeakyResource(name));
    }

    private static void forgetAGuardOf(AsyncDroppable resource) {
        AsyncDropGuard.of(resource);
    }

    private static void dropAGuard(String name) {
        AsyncDropGuard.of(new LeakyResource(name)).asyncDrop();
    }

    private static void disarmAGuard(String name) {
        AsyncDropGuard.of(new LeakyResource(name)).unsafeIntoInnerDontDrop();
    }

    private static void mapAGuard(String name) {
        AsyncDropGuard.of(new LeakyResource(name)).unsafeMap(resource -> new LeakyResource("mapped"))
                .asyncDrop();
    }

    private static final class LeakyResource implements AsyncDroppable {

        private final String name;

        LeakyResource(String name) {
            this.name = name;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "LeakyResource[" + this.name + "]";
        }
    }
}
