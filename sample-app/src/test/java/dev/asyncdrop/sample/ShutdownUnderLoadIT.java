package dev.asyncdrop.sample;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise that matters most, proven on the packaged application: SIGTERM in the middle of concurrent writes loses
 * no acknowledged event, and a database too slow for the drop timeout cannot hold the shutdown, and what it costs is
 * reported.
 * <p>
 * Runs after {@code package} (maven-failsafe), starting the repackaged jar as a separate JVM. Every wait is on a
 * condition with a generous bound: the only time asserted is that the process exited at all within its budget. Each
 * application's output goes to {@code target/e2e-logs/<test>.log}, and each run's numbers to
 * {@code <test>-summary.txt} beside it; the end of the logs is printed only when a test fails.
 */
class ShutdownUnderLoadIT {

    private static final Path JAR = Path.of(System.getProperty("sample.jar",
            "target/async-drop-sample-app-0.1.0-SNAPSHOT.jar"));

    private static final Path LOGS = Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));

    private static final int CLIENTS = 8;

    private static final Duration STARTUP = Duration.ofMinutes(2);

    // What the application may take to exit: Spring's lifecycle phases around the drop phase are bounded by
    // spring.lifecycle.timeout-per-shutdown-phase (30s), the drops by async-drop.timeout-per-phase; plus a minute of
    // grace for a loaded machine.
    private static final Duration LIFECYCLE_PHASE = Duration.ofSeconds(30);

    private static final Duration GRACE = Duration.ofMinutes(1);

    private static final Pattern LOSS_REPORT = Pattern.compile(
            "(\\d+) acknowledged events were NOT persisted \\((\\d+) acknowledged, (\\d+) persisted\\)");

    private static final Pattern REPORT_ROW = Pattern.compile(
            "^(\\w+)\\s+-?\\d+\\s+(DROPPED|FAILED|TIMED_OUT|SKIPPED)\\s+(\\d+\\.\\d+)\\s+(\\d+\\.\\d+)\\s");

    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();

    @TempDir
    Path database;

    private String testName;

    private final List<SampleAppProcess> started = new ArrayList<>();

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            ShutdownUnderLoadIT.this.started.forEach((app) -> System.err.print(app.lastLines(60)));
        }

    };

    @BeforeEach
    void nameLogAfter(TestInfo test) {
        this.testName = test.getTestMethod().orElseThrow().getName();
    }

    @Test
    void sigtermUnderLoadPersistsEveryAcknowledgedEventAndDropsTheBufferBeforeThePool() throws Exception {
        Duration dropPhase = Duration.ofSeconds(20);
        try (SampleAppProcess app = start(this.testName,
                "--async-drop.timeout-per-phase=" + dropPhase.toSeconds() + "s",
                // Keep a good share of the acknowledged events in memory when SIGTERM arrives.
                "--sample.buffer.flush-interval=1s")) {
            Run run = runUntilExit(app, lifecycleBudget(dropPhase));

            List<String> persisted = persistedPayloads();
            assertThat(persisted).as("payloads written twice").doesNotHaveDuplicates();
            Set<String> missing = new HashSet<>(run.load.acknowledged());
            persisted.forEach(missing::remove);
            assertThat(missing.size()).as("acknowledged events not persisted, for example %s, see %s",
                    missing.stream().limit(5).toList(), app.log()).isZero();
            assertThat(unacknowledged(persisted, run.load)).as("persisted events that were never acknowledged, "
                    + "beyond the requests whose answer was lost").isSubsetOf(run.load.inDoubt());
            assertThat(run.load.unexpected()).as("answers other than 202 and 503 before the shutdown").isEmpty();

            List<String> log = app.logLines();
            assertThat(reportedOutcomes(log)).as("the shutdown report's outcomes in %s", app.log())
                .containsEntry("eventBuffer", "DROPPED")
                .containsEntry("applicationTaskExecutor", "DROPPED")
                .containsEntry("dataSource", "DROPPED");
            int gracefulShutdown = indexOf(log, app, (line) -> line.contains("Commencing graceful shutdown"));
            int intakeStopped = indexOf(log, app, (line) -> line.contains("Event buffer stopped intake"));
            int drained = indexOf(log, app, (line) -> line.contains("Event buffer drained"));
            int poolClosing = indexOf(log, app, (line) -> line.matches(".*HikariPool-\\d+ - Shutdown initiated.*"));
            int poolClosed = indexOf(log, app, (line) -> line.matches(".*HikariPool-\\d+ - Shutdown completed.*"));
            // The buffer logs "drained" just before it completes its drop, and the pool logs its first line as its
            // drop starts: the order of the lines is the order of the drops.
            assertThat(List.of(gracefulShutdown, intakeStopped, drained, poolClosing, poolClosed))
                .as("web server, then buffer, then pool, in %s", app.log())
                .isSorted();
            Map<String, double[]> times = reportedTimes(log);
            assertThat(times.get("applicationTaskExecutor")[0]).as("executor started after the buffer ended")
                .isGreaterThanOrEqualTo(end(times.get("eventBuffer")));
            assertThat(times.get("dataSource")[0]).as("pool started after the executor ended")
                .isGreaterThanOrEqualTo(end(times.get("applicationTaskExecutor")));
            assertThat(log).as("no acknowledged event reported lost").noneMatch(LOSS_REPORT.asPredicate());

            writeSummary(String.format("SIGTERM under load: %d acknowledged, %d persisted (%d answers lost in the "
                    + "shutdown), %d refused; the process exited %d ms after SIGTERM with code %d; %s%n"
                    + "answers lost in the shutdown: %s; other refusals during the shutdown: %s%n",
                    run.load.acknowledgedCount(), persisted.size(), run.load.inDoubt().size(), run.load.refused(),
                    run.shutdown.toMillis(), run.exitCode, log.get(drained).replaceFirst(".*Event buffer drained: ",
                            "buffer drained: "),
                    run.load.inDoubtCauses(), run.load.refusedDuringShutdown()));
        }
    }

    @Test
    void aFlushSlowerThanTheDropTimeoutIsReportedAndTheProcessStillExits() throws Exception {
        Duration dropPhase = Duration.ofSeconds(1);
        try (SampleAppProcess app = start(this.testName,
                "--async-drop.timeout-per-phase=" + dropPhase.toSeconds() + "s",
                "--sample.buffer.flush-delay=2s", "--sample.buffer.batch-size=100")) {
            Run run = runUntilExit(app, lifecycleBudget(dropPhase));

            List<String> log = app.logLines();
            assertThat(reportedOutcomes(log)).as("the shutdown report's outcomes in %s", app.log())
                .containsEntry("eventBuffer", "TIMED_OUT");
            assertThat(log).as("the timed-out drop is named in %s", app.log())
                .anyMatch((line) -> line.contains("WARN") && line.contains("'eventBuffer'"))
                .anyMatch((line) -> line.contains("Event buffer drop timed out"));
            Matcher report = log.stream()
                .map(LOSS_REPORT::matcher)
                .filter(Matcher::find)
                .findFirst()
                .orElseGet(() -> fail("No report of the events lost in " + app.log()));
            long lost = Long.parseLong(report.group(1));
            long acknowledgedByApp = Long.parseLong(report.group(2));
            long persistedByApp = Long.parseLong(report.group(3));

            List<String> persisted = persistedPayloads();
            assertThat(persisted).as("payloads written twice").doesNotHaveDuplicates();
            assertThat(persisted).as("the report counts exactly what is in the database").hasSize(
                    (int) persistedByApp);
            assertThat(lost).as("something was lost, or the drop did not really time out").isPositive();
            assertThat(persisted.size() + lost).as("rows + reported lost == acknowledged").isEqualTo(acknowledgedByApp);
            assertThat(unacknowledged(persisted, run.load)).isSubsetOf(run.load.inDoubt());
            // The application acknowledged what the clients saw acknowledged, plus perhaps some whose answer was lost.
            assertThat(acknowledgedByApp).isBetween((long) run.load.acknowledgedCount(),
                    (long) run.load.acknowledgedCount() + run.load.inDoubt().size());
            assertThat(run.load.unexpected()).as("answers other than 202 and 503 before the shutdown").isEmpty();

            writeSummary(String.format("slow flush, %d s drop timeout: %d acknowledged, %d persisted, %d reported "
                    + "lost (%d answers lost in the shutdown); the process exited %d ms after SIGTERM with code %d%n",
                    dropPhase.toSeconds(), run.load.acknowledgedCount(), persisted.size(), lost,
                    run.load.inDoubt().size(), run.shutdown.toMillis(), run.exitCode));
        }
    }

    @Test
    void aSecondInstanceOnTheSameDatabaseStopsWithOneExplanationAndLeavesTheFirstRunning() throws Exception {
        try (SampleAppProcess first = start(this.testName + "-first")) {
            first.awaitReady(this.client, STARTUP);
            try (SampleAppProcess second = start(this.testName + "-second")) {
                assertThat(second.waitForExit(STARTUP)).as("the second instance exited, see %s", second.log())
                    .isTrue();
                assertThat(second.exitValue()).as("exit code, see %s", second.log()).isEqualTo(1);
                List<String> log = second.logLines();
                assertThat(log).as("the failure analysis in %s", second.log())
                    .contains("APPLICATION FAILED TO START")
                    .anyMatch((line) -> line.startsWith("The H2 database jdbc:h2:file:" + this.database.toAbsolutePath()
                            .resolve("db") + " (file ") && line.contains(" is in use by another process"))
                    .anyMatch((line) -> line.startsWith("Stop the other instance, or give this one a database of its "
                            + "own, for example --spring.datasource.url=jdbc:h2:file:./data/second"));
                assertThat(log).as("stack frames in %s", second.log()).noneMatch((line) -> line.startsWith("\tat "));
            }
            HttpRequest health = HttpRequest.newBuilder(first.uri("/actuator/health")).build();
            assertThat(this.client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("the first instance still answers, see %s", first.log())
                .isEqualTo(200);
        }
    }

    private SampleAppProcess start(String logName, String... arguments) throws IOException {
        SampleAppProcess app = SampleAppProcess.start(JAR, this.database, LOGS.resolve(logName + ".log"), arguments);
        this.started.add(app);
        return app;
    }

    private void writeSummary(String summary) throws IOException {
        Files.writeString(LOGS.resolve(this.testName + "-summary.txt"), summary, StandardCharsets.UTF_8);
    }

    private Run runUntilExit(SampleAppProcess app, Duration budget) throws Exception {
        assumeThat(app.supportsNormalTermination()).as("this platform cannot send SIGTERM to a process").isTrue();
        app.awaitReady(this.client, STARTUP);
        EventLoad load = new EventLoad(this.client, app.uri("/events"), CLIENTS);
        load.start();
        try {
            await("2000 acknowledged events").atMost(Duration.ofMinutes(2))
                .failFast("the application exited or answered other than 202 and 503, see " + app.log(),
                        () -> !load.unexpected().isEmpty() || !app.isAlive())
                .until(() -> load.acknowledgedCount() >= 2000);
            load.shutdownStarting();
            long sigterm = System.nanoTime();
            app.terminate();
            boolean exited = app.waitForExit(budget);
            Duration shutdown = Duration.ofNanos(System.nanoTime() - sigterm);
            if (!exited) {
                app.close();
                fail("The application did not exit within " + budget + " of SIGTERM, see " + app.log());
            }
            // The JVM answers SIGTERM with 128 + 15 once its shutdown hooks (Spring's close) have run.
            assertThat(app.exitValue()).as("exit code, see %s", app.log()).isIn(0, 143);
            return new Run(load, shutdown, app.exitValue());
        }
        finally {
            load.stop();
        }
    }

    private static Duration lifecycleBudget(Duration dropPhase) {
        // Graceful web shutdown, web server stop, the drop phase, and the executors' phase.
        return LIFECYCLE_PHASE.multipliedBy(3).plus(dropPhase).plus(GRACE);
    }

    private List<String> persistedPayloads() throws SQLException {
        String url = "jdbc:h2:file:" + this.database.toAbsolutePath().resolve("db") + ";IFEXISTS=TRUE";
        List<String> payloads = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select payload from events")) {
            while (rows.next()) {
                payloads.add(rows.getString(1));
            }
        }
        return payloads;
    }

    private static Set<String> unacknowledged(List<String> persisted, EventLoad load) {
        Set<String> extra = new HashSet<>(persisted);
        extra.removeAll(load.acknowledged());
        return extra;
    }

    /**
     * The outcome of each bean in the shutdown report's table, whose rows start with the bean's name and phase.
     */
    private static Map<String, String> reportedOutcomes(List<String> log) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : log) {
            Matcher row = REPORT_ROW.matcher(line);
            if (row.find()) {
                outcomes.put(row.group(1), row.group(2));
            }
        }
        return outcomes;
    }

    /**
     * The start and duration, in ms, of each bean in the shutdown report's table.
     */
    private static Map<String, double[]> reportedTimes(List<String> log) {
        Map<String, double[]> times = new LinkedHashMap<>();
        for (String line : log) {
            Matcher row = REPORT_ROW.matcher(line);
            if (row.find()) {
                times.put(row.group(1), new double[] { Double.parseDouble(row.group(3)),
                        Double.parseDouble(row.group(4)) });
            }
        }
        return times;
    }

    /** Where a drop ended, less the rounding of the table's two columns to a microsecond each. */
    private static double end(double[] startAndDuration) {
        return startAndDuration[0] + startAndDuration[1] - 0.002;
    }

    private static int indexOf(List<String> log, SampleAppProcess app, Predicate<String> line) {
        for (int i = 0; i < log.size(); i++) {
            if (line.test(log.get(i))) {
                return i;
            }
        }
        return fail("Expected line not found in " + app.log());
    }

    private record Run(EventLoad load, Duration shutdown, int exitCode) {
    }
}
