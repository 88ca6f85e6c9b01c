package dev.asyncdrop.spring.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.tuple;

@ExtendWith(OutputCaptureExtension.class)
class ShutdownReportStoreTests {

    private static final Pattern WARNING = Pattern.compile("(?m)^.*WARN.*Ignoring the last shutdown report.*$");

    @TempDir
    Path directory;

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-26T08:30:00Z"));

    @Test
    void aWrittenShutdownIsReadBackWhenTheStoreIsOpenedAgain() throws Exception {
        DropReport report = failingAndTimingOutReport();
        ShutdownSummary written = ShutdownReportStore.open(directory, 10, clock).write(report);

        ShutdownSummary read = ShutdownReportStore.open(directory, 10).lastShutdown().orElseThrow();

        assertThat(read).isEqualTo(written);
        assertThat(read.shutdownAt()).isEqualTo(Instant.parse("2026-11-26T08:30:00Z"));
        assertThat(read.makespan()).isEqualTo(report.makespan());
        assertThat(read.criticalPath()).isEqualTo(report.criticalPath());
        assertThat(read.resources()).isEqualTo(3);
        assertThat(read.failures()).isEqualTo(1);
        assertThat(read.timeouts()).isEqualTo(1);
        assertThat(read.skipped()).isZero();
    }

    @Test
    void eachResourcesDropIsKeptInTheSummaryAndReadBack() throws Exception {
        DropReport report = failingAndTimingOutReport();
        ShutdownReportStore.open(directory, 10, clock).write(report);

        List<ShutdownSummary.ResourceDrop> drops = ShutdownReportStore.open(directory, 10).lastShutdown()
                .orElseThrow()
                .drops();

        assertThat(drops).extracting(ShutdownSummary.ResourceDrop::resource, ShutdownSummary.ResourceDrop::phase,
                ShutdownSummary.ResourceDrop::outcome, ShutdownSummary.ResourceDrop::duration)
                .containsExactlyElementsOf(report.records().stream()
                        .map((record) -> tuple(record.name(), record.phase(), record.outcome(), record.duration()))
                        .toList());
        assertThat(drops).extracting(ShutdownSummary.ResourceDrop::outcome)
                .contains(DropOutcome.FAILED, DropOutcome.TIMED_OUT, DropOutcome.DROPPED);
    }

    @Test
    void aSummaryWrittenBeforeDropsWereKeptIsReadWithoutThem(CapturedOutput output) throws Exception {
        ShutdownSummary written = ShutdownReportStore.open(directory, 10, clock).write(droppingReport());
        Path summary = directory.resolve(written.reportFile().replace("report", "summary").replace(".json",
                ".properties"));
        Files.writeString(summary, Files.readString(summary).replaceAll("(?m)^drop\\..*$", ""));

        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).hasValueSatisfying((last) -> {
            assertThat(last.resources()).isOne();
            assertThat(last.drops()).isEmpty();
        });
        assertThat(output.getAll()).doesNotContain("Ignoring the last shutdown report");
    }

    @Test
    void theReportFileHoldsTheSummaryAndTheWholeReportAndTheTraceFileTheTraceEvents() throws Exception {
        DropReport report = failingAndTimingOutReport();

        ShutdownSummary summary = ShutdownReportStore.open(directory, 10, clock).write(report);

        assertThat(summary.reportFile()).isEqualTo("asyncdrop-report-20261126T083000.000Z.json");
        assertThat(summary.traceFile()).isEqualTo("asyncdrop-trace-20261126T083000.000Z.json");
        assertThat(directory.resolve(summary.reportFile())).content(StandardCharsets.UTF_8)
                .startsWith("{\"shutdownAt\":\"2026-11-26T08:30:00Z\",\"makespanMillis\":")
                .contains("\"failures\":1,\"timeouts\":1,\"skipped\":0")
                .endsWith("\"report\":" + report.toJson() + "}\n");
        assertThat(directory.resolve(summary.traceFile())).content(StandardCharsets.UTF_8)
                .isEqualTo(report.toTraceEventJson());
        assertThat(directory.resolve("asyncdrop-summary-20261126T083000.000Z.properties")).isRegularFile();
    }

    @Test
    void onlyTheNewestShutdownsAreKept() throws Exception {
        ShutdownReportStore store = ShutdownReportStore.open(directory, 3, clock);
        DropReport report = droppingReport();

        for (int i = 0; i < 5; i++) {
            store.write(report);
        }

        assertThat(fileNames()).containsExactlyInAnyOrder(
                "asyncdrop-report-20261126T083002.000Z.json", "asyncdrop-trace-20261126T083002.000Z.json",
                "asyncdrop-summary-20261126T083002.000Z.properties",
                "asyncdrop-report-20261126T083003.000Z.json", "asyncdrop-trace-20261126T083003.000Z.json",
                "asyncdrop-summary-20261126T083003.000Z.properties",
                "asyncdrop-report-20261126T083004.000Z.json", "asyncdrop-trace-20261126T083004.000Z.json",
                "asyncdrop-summary-20261126T083004.000Z.properties");
        assertThat(ShutdownReportStore.open(directory, 3).lastShutdown()).hasValueSatisfying(
                (last) -> assertThat(last.shutdownAt()).isEqualTo(Instant.parse("2026-11-26T08:30:04Z")));
    }

    @Test
    void pruningLeavesFilesThatAreNotReportsAlone() throws Exception {
        Files.writeString(directory.resolve("notes.txt"), "mine");
        ShutdownReportStore store = ShutdownReportStore.open(directory, 1, clock);

        store.write(droppingReport());
        store.write(droppingReport());

        assertThat(fileNames()).contains("notes.txt").hasSize(4);
    }

    @Test
    void twoShutdownsInTheSameMillisecondAreBothKept() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2026-11-26T08:30:00Z"), ZoneOffset.UTC);
        ShutdownReportStore store = ShutdownReportStore.open(directory, 10, stopped);

        ShutdownSummary first = store.write(droppingReport());
        ShutdownSummary second = store.write(droppingReport());

        assertThat(second.reportFile()).isNotEqualTo(first.reportFile());
        assertThat(fileNames()).hasSize(6);
        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).contains(second);
    }

    @Test
    void concurrentWritesInTheSameMillisecondAreAllKept() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2026-11-26T08:30:00Z"), ZoneOffset.UTC);
        ShutdownReportStore store = ShutdownReportStore.open(directory, 100, stopped);
        DropReport report = droppingReport();
        int threads = 8;
        int writesPerThread = 3;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesPerThread; i++) {
                        store.write(report);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            executor.shutdownNow();
        }

        assertThat(fileNames()).hasSize(3 * threads * writesPerThread)
                .allMatch((name) -> name.startsWith("asyncdrop-"));
    }

    @Test
    void aWriteLeavesNoTemporaryFileBehind() throws Exception {
        ShutdownReportStore.open(directory, 10, clock).write(droppingReport());

        assertThat(fileNames()).allMatch((name) -> name.startsWith("asyncdrop-")).hasSize(3);
    }

    @Test
    void theDirectoryIsCreatedWhenTheFirstReportIsWritten() throws Exception {
        Path nested = directory.resolve("reports").resolve("app");
        ShutdownReportStore store = ShutdownReportStore.open(nested, 10, clock);

        store.write(droppingReport());

        assertThat(nested).isDirectoryContaining("glob:**/asyncdrop-summary-*.properties");
    }

    @Test
    void aDirectoryThatCannotBeCreatedFailsTheWriteWithAnIOException(CapturedOutput output) throws Exception {
        Path file = Files.writeString(directory.resolve("occupied"), "a file, not a directory");
        ShutdownReportStore store = ShutdownReportStore.open(file.resolve("reports"), 10, clock);

        assertThatIOException().isThrownBy(() -> store.write(droppingReport()));
        assertThat(warnings(output)).hasSize(1);
        assertThat(output.getAll()).contains("Ignoring the last shutdown report: the directory "
                + file.resolve("reports"));
    }

    @Test
    void aShutdownWhoseReportCannotBeWrittenGoesOnWithAWarning(CapturedOutput output) throws Exception {
        Path file = Files.writeString(directory.resolve("occupied"), "a file, not a directory");
        ShutdownReportStore store = ShutdownReportStore.open(file.resolve("reports"), 10, clock);

        store.onShutdownReport(droppingReport());

        assertThat(output.getAll()).contains("Could not write the shutdown report to " + file.resolve("reports"));
    }

    @Test
    void aShutdownReportHeardAsAListenerIsWritten() throws Exception {
        ShutdownReportStore.open(directory, 10, clock).onShutdownReport(droppingReport());

        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).isPresent();
    }

    @Test
    void aFirstStartWithoutAnyReportFindsNoLastShutdownAndWarnsAboutNothing(CapturedOutput output) {
        ShutdownReportStore store = ShutdownReportStore.open(directory.resolve("never-written"), 10);

        assertThat(store.lastShutdown()).isEmpty();
        assertThat(output.getAll()).doesNotContain("Ignoring the last shutdown report");
    }

    @Test
    void anEmptySummaryIsIgnoredWithOneWarningNamingIt(CapturedOutput output) throws Exception {
        Path summary = Files.createFile(directory.resolve("asyncdrop-summary-20261126T083000.000Z.properties"));

        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).isEmpty();
        assertThat(warnings(output)).singleElement().asString().contains(summary.toString()).contains("is empty");
    }

    @Test
    void aCorruptSummaryIsIgnoredWithOneWarningNamingIt(CapturedOutput output) throws Exception {
        Path summary = Files.write(directory.resolve("asyncdrop-summary-20261126T083000.000Z.properties"),
                new byte[] { (byte) 0xC3, (byte) 0x28, 0x00, (byte) 0xFF, 0x41 });

        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).isEmpty();
        assertThat(warnings(output)).singleElement().asString().contains(summary.toString()).contains("is corrupt");
    }

    @Test
    void aSummaryWithABadFigureIsIgnoredWithOneWarningSayingWhichFigure(CapturedOutput output) throws Exception {
        ShutdownSummary written = ShutdownReportStore.open(directory, 10, clock).write(droppingReport());
        Path summary = directory.resolve(written.reportFile().replace("report", "summary").replace(".json",
                ".properties"));
        Files.writeString(summary, Files.readString(summary).replaceAll("(?m)^makespan=.*$", "makespan=soon"));

        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).isEmpty();
        assertThat(warnings(output)).singleElement().asString().contains(summary.toString()).contains("is corrupt");
    }

    @Test
    void aSummaryMissingBesideTheNewestReportIsIgnoredWithOneWarningNamingIt(CapturedOutput output)
            throws Exception {
        ShutdownReportStore.open(directory, 10, clock).write(droppingReport());
        Files.writeString(directory.resolve("asyncdrop-report-20261126T090000.000Z.json"), "{}");

        assertThat(ShutdownReportStore.open(directory, 10).lastShutdown()).isEmpty();
        assertThat(warnings(output)).singleElement().asString()
                .contains(directory.resolve("asyncdrop-summary-20261126T090000.000Z.properties").toString())
                .contains("is missing");
    }

    @Test
    void keepingFewerThanOneShutdownIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ShutdownReportStore.open(directory, 0))
                .withMessageContaining("'keep' must be at least 1");
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map((file) -> file.getFileName().toString()).toList();
        }
    }

    private static List<String> warnings(CapturedOutput output) {
        return WARNING.matcher(output.getAll()).results().map((match) -> match.group()).toList();
    }

    static DropReport droppingReport() throws Exception {
        return DropPlan.builder()
                .add("pool", () -> CompletableFuture.completedFuture(null))
                .build()
                .execute()
                .get(30, TimeUnit.SECONDS);
    }

    static DropReport failingAndTimingOutReport() throws Exception {
        return DropPlan.builder()
                .add("writer", () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")),
                        (n) -> n.dependsOn("pool"))
                .add("hanging", CompletableFuture::new, (n) -> n.timeout(Duration.ofMillis(20)))
                .add("pool", () -> CompletableFuture.completedFuture(null))
                .build()
                .execute()
                .get(30, TimeUnit.SECONDS);
    }

    /** A clock that moves one second forward each time it is read. */
    static final class SteppingClock extends Clock {

        private Instant next;

        SteppingClock(Instant start) {
            this.next = start;
        }

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plusSeconds(1);
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
