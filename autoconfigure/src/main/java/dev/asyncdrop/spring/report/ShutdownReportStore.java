package dev.asyncdrop.spring.report;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * Keeps shutdown reports in a directory, so that a shutdown can be inspected after the process has gone, and its
 * figures published after the next start (meter registries are closed before the drops run, so a shutdown cannot
 * export its own metrics).
 * <p>
 * Each shutdown writes three files named after the time it ended, in UTC:
 * {@code asyncdrop-report-<time>.json} (the whole report, with a summary), {@code asyncdrop-trace-<time>.json} (the
 * report as Chrome trace events, which Perfetto opens) and {@code asyncdrop-summary-<time>.properties} (the summary,
 * written last, so that it marks the shutdown's files as complete, with each resource's drop: the figures the next
 * start publishes). Each file is written to a temporary file first
 * and then moved into place atomically; after a write only the files of the newest {@code keep} shutdowns remain.
 * Use one directory per application: the store prunes every report it finds there.
 * <p>
 * {@link #open} reads the summary of the newest shutdown once. A summary that is missing, empty or corrupt is
 * ignored with one warning naming the file: a report never prevents a start. As a {@link ShutdownReportListener}
 * bean, the store writes the report of the context's shutdown; a failure to write is logged, never thrown.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class ShutdownReportStore implements ShutdownReportListener {

    /** How many shutdowns are kept when not configured. */
    public static final int DEFAULT_KEEP = 10;

    private static final Log logger = LogFactory.getLog(ShutdownReportStore.class);

    private static final String REPORT = "asyncdrop-report-";

    private static final String TRACE = "asyncdrop-trace-";

    private static final String SUMMARY = "asyncdrop-summary-";

    private static final String TIME_PATTERN = "(\\d{8}T\\d{6}\\.\\d{3}Z)";

    private static final Pattern FILE_NAME = Pattern.compile(
            "asyncdrop-(?:(?:report|trace)-" + TIME_PATTERN + "\\.json|summary-" + TIME_PATTERN + "\\.properties)");

    // Sorts by name in time order and is valid in file names on every platform (no colons).
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final String FORMAT_VERSION = "1";

    /** The prefix of each resource's drop in a summary; added to format 1, whose older files simply lack them. */
    private static final String DROP = "drop.";

    private final Path directory;

    private final int keep;

    private final Clock clock;

    private final @Nullable ShutdownSummary lastShutdown;

    private ShutdownReportStore(Path directory, int keep, Clock clock) {
        this.directory = directory;
        this.keep = keep;
        this.clock = clock;
        this.lastShutdown = readNewestSummary(directory);
    }

    /**
     * Opens a store and reads the summary of the newest shutdown kept in it. The directory need not exist yet.
     * @param directory where reports are kept
     * @param keep how many shutdowns to keep, at least 1
     * @return the store
     */
    public static ShutdownReportStore open(Path directory, int keep) {
        return open(directory, keep, Clock.systemUTC());
    }

    /**
     * Opens a store that takes the time of each shutdown from a clock.
     * @param directory where reports are kept
     * @param keep how many shutdowns to keep, at least 1
     * @param clock tells the time a shutdown ended
     * @return the store
     */
    public static ShutdownReportStore open(Path directory, int keep, Clock clock) {
        Objects.requireNonNull(directory, "'directory' must not be null");
        Objects.requireNonNull(clock, "'clock' must not be null");
        if (keep < 1) {
            throw new IllegalArgumentException("'keep' must be at least 1 so that the last shutdown can be read back, "
                    + "but was " + keep);
        }
        return new ShutdownReportStore(directory, keep, clock);
    }

    /** @return the directory where reports are kept */
    public Path directory() {
        return directory;
    }

    /** @return how many shutdowns are kept */
    public int keep() {
        return keep;
    }

    /** @return the summary of the newest shutdown found when this store was opened: the previous run's */
    public Optional<ShutdownSummary> lastShutdown() {
        return Optional.ofNullable(lastShutdown);
    }

    /**
     * Writes a shutdown's report, creating the directory if needed, then removes the files of all but the newest
     * {@link #keep()} shutdowns.
     * @param report the report of the shutdown that just ended
     * @return the summary written
     * @throws IOException when the files could not be written
     */
    public synchronized ShutdownSummary write(DropReport report) throws IOException {
        Objects.requireNonNull(report, "'report' must not be null");
        Files.createDirectories(directory);
        Instant shutdownAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        while (Files.exists(directory.resolve(SUMMARY + TIMESTAMP.format(shutdownAt) + ".properties"))) {
            // Two shutdowns in one millisecond (tests do that): keep both rather than overwrite one.
            shutdownAt = shutdownAt.plusMillis(1);
        }
        String timestamp = TIMESTAMP.format(shutdownAt);
        ShutdownSummary summary = ShutdownSummary.of(report, shutdownAt, REPORT + timestamp + ".json",
                TRACE + timestamp + ".json");
        writeAtomically(directory.resolve(summary.reportFile()), reportJson(summary, report.toJson()));
        writeAtomically(directory.resolve(summary.traceFile()), report.toTraceEventJson());
        writeAtomically(directory.resolve(SUMMARY + timestamp + ".properties"), summaryProperties(summary));
        prune();
        return summary;
    }

    /**
     * Writes the report of the shutdown that just ended; a failure to write is logged, since a shutdown must go on.
     * @param report the report
     */
    @Override
    public void onShutdownReport(DropReport report) {
        try {
            ShutdownSummary summary = write(report);
            logger.info("Wrote the shutdown report to " + directory.resolve(summary.reportFile())
                    + "; open " + summary.traceFile() + " in Perfetto to see the timeline");
        }
        catch (IOException | RuntimeException ex) {
            logger.warn("Could not write the shutdown report to " + directory + ": " + ex);
        }
    }

    private void prune() {
        TreeMap<String, List<Path>> shutdowns;
        try {
            shutdowns = listShutdowns(directory);
        }
        catch (IOException ex) {
            logger.warn("Could not list " + directory + " to remove old shutdown reports: " + ex);
            return;
        }
        while (shutdowns.size() > keep) {
            for (Path file : shutdowns.pollFirstEntry().getValue()) {
                try {
                    Files.deleteIfExists(file);
                }
                catch (IOException ex) {
                    logger.warn("Could not remove the old shutdown report " + file + ": " + ex);
                }
            }
        }
    }

    private static @Nullable ShutdownSummary readNewestSummary(Path directory) {
        TreeMap<String, List<Path>> shutdowns;
        try {
            shutdowns = listShutdowns(directory);
        }
        catch (NoSuchFileException ex) {
            // A first start: nothing was written yet. (Files.notExists cannot tell this from a path through a
            // regular file, which JDK 17 and JDK 25 answer differently.)
            return null;
        }
        catch (IOException ex) {
            logger.warn("Ignoring the last shutdown report: the directory " + directory + " could not be read: " + ex);
            return null;
        }
        if (shutdowns.isEmpty()) {
            return null;
        }
        Path summaryFile = directory.resolve(SUMMARY + shutdowns.lastKey() + ".properties");
        try {
            if (Files.size(summaryFile) == 0) {
                logger.warn("Ignoring the last shutdown report: " + summaryFile + " is empty");
                return null;
            }
            return readSummary(summaryFile);
        }
        catch (NoSuchFileException ex) {
            logger.warn("Ignoring the last shutdown report: " + summaryFile + " is missing");
        }
        catch (CharacterCodingException ex) {
            logger.warn("Ignoring the last shutdown report: " + summaryFile + " is corrupt: it is not UTF-8 text");
        }
        catch (IOException ex) {
            logger.warn("Ignoring the last shutdown report: " + summaryFile + " could not be read: " + ex);
        }
        catch (RuntimeException ex) {
            logger.warn("Ignoring the last shutdown report: " + summaryFile + " is corrupt: " + ex.getMessage());
        }
        return null;
    }

    private static ShutdownSummary readSummary(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        String format = required(properties, "format");
        if (!FORMAT_VERSION.equals(format)) {
            throw new IllegalArgumentException("format " + format + " is not known, expected " + FORMAT_VERSION);
        }
        return new ShutdownSummary(Instant.parse(required(properties, "shutdownAt")),
                Duration.parse(required(properties, "makespan")), Duration.parse(required(properties, "criticalPath")),
                Integer.parseInt(required(properties, "resources")), Integer.parseInt(required(properties, "failures")),
                Integer.parseInt(required(properties, "timeouts")), Integer.parseInt(required(properties, "skipped")),
                required(properties, "reportFile"), required(properties, "traceFile"), readDrops(properties));
    }

    /** Each resource's drop, under {@code drop.<index>.*}; a summary written before they were kept has none. */
    private static List<ShutdownSummary.ResourceDrop> readDrops(Properties properties) {
        List<ShutdownSummary.ResourceDrop> drops = new ArrayList<>();
        for (int index = 0; properties.containsKey(DROP + index + ".resource"); index++) {
            String prefix = DROP + index + ".";
            drops.add(new ShutdownSummary.ResourceDrop(required(properties, prefix + "resource"),
                    Integer.parseInt(required(properties, prefix + "phase")),
                    DropOutcome.valueOf(required(properties, prefix + "outcome")),
                    Duration.parse(required(properties, prefix + "duration"))));
        }
        return drops;
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value.trim();
    }

    /** @return the files of each shutdown kept in the directory, keyed and sorted by the shutdown's time */
    private static TreeMap<String, List<Path>> listShutdowns(Path directory) throws IOException {
        TreeMap<String, List<Path>> shutdowns = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "asyncdrop-*")) {
            for (Path file : files) {
                Matcher name = FILE_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    String timestamp = (name.group(1) != null) ? name.group(1) : name.group(2);
                    shutdowns.computeIfAbsent(timestamp, (key) -> new ArrayList<>()).add(file);
                }
            }
        }
        return shutdowns;
    }

    private static String summaryProperties(ShutdownSummary summary) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT_VERSION);
        properties.setProperty("shutdownAt", summary.shutdownAt().toString());
        properties.setProperty("makespan", summary.makespan().toString());
        properties.setProperty("criticalPath", summary.criticalPath().toString());
        properties.setProperty("resources", Integer.toString(summary.resources()));
        properties.setProperty("failures", Integer.toString(summary.failures()));
        properties.setProperty("timeouts", Integer.toString(summary.timeouts()));
        properties.setProperty("skipped", Integer.toString(summary.skipped()));
        properties.setProperty("reportFile", summary.reportFile());
        properties.setProperty("traceFile", summary.traceFile());
        List<ShutdownSummary.ResourceDrop> drops = summary.drops();
        for (int index = 0; index < drops.size(); index++) {
            ShutdownSummary.ResourceDrop drop = drops.get(index);
            String prefix = DROP + index + ".";
            properties.setProperty(prefix + "resource", drop.resource());
            properties.setProperty(prefix + "phase", Integer.toString(drop.phase()));
            properties.setProperty(prefix + "outcome", drop.outcome().name());
            properties.setProperty(prefix + "duration", drop.duration().toString());
        }
        StringWriter text = new StringWriter();
        properties.store(text, "async-drop shutdown summary");
        return text.toString();
    }

    private static String reportJson(ShutdownSummary summary, String reportJson) {
        // Only numbers and an ISO-8601 instant are written here: nothing that needs escaping.
        return String.format(Locale.ROOT, "{\"shutdownAt\":\"%s\",\"makespanMillis\":%.3f,"
                + "\"criticalPathMillis\":%.3f,\"resources\":%d,\"failures\":%d,\"timeouts\":%d,\"skipped\":%d,"
                + "\"traceFile\":\"%s\",\"report\":%s}\n",
                summary.shutdownAt(), millis(summary.makespan()), millis(summary.criticalPath()), summary.resources(),
                summary.failures(), summary.timeouts(), summary.skipped(), summary.traceFile(), reportJson);
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), ".asyncdrop-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                // On disk before the move, so that a crash cannot leave an empty file under the final name.
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (AtomicMoveNotSupportedException ex) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }
}
