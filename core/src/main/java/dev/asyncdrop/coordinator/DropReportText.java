package dev.asyncdrop.coordinator;

import static dev.asyncdrop.coordinator.ReportTimes.millis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.asyncdrop.internal.Failures;

/**
 * Writes a {@link DropReport} for a log: a summary line, the phases, a table with a row per resource and, on the
 * same row, a bar on a time axis common to all resources; then the failures. Lines are at most 120 characters.
 * Outcomes are named by {@link DropOutcome#label()}. Thread-safe: stateless.
 */
final class DropReportText {

    private static final int LINE_WIDTH = 120;

    private static final int NAME_WIDTH = 24;

    private static final int BAR_WIDTH = 48;

    /** Name, phase, outcome, start and duration columns with the spaces between them. */
    private static final int TABLE_WIDTH = NAME_WIDTH + 45;

    private DropReportText() {
    }

    static String render(DropReport report) {
        String nl = System.lineSeparator();
        List<DropRecord> records = report.records();
        List<PhaseRecord> phases = report.phases();
        StringBuilder text = new StringBuilder(256 + records.size() * 124);
        text.append(clip(summary(report), LINE_WIDTH)).append(nl);
        if (!report.criticalPathResources().isEmpty()) {
            text.append(clip("Critical path: " + printable(String.join(" > ", report.criticalPathResources())),
                    LINE_WIDTH)).append(nl);
        }
        for (PhaseRecord phase : phases) {
            text.append(String.format(Locale.ROOT, "Phase %d: %s, started at %s ms, took %s ms", phase.phase(),
                    phase.outcome(), millis(phase.startOffset()), millis(phase.duration()))).append(nl);
        }
        if (records.isEmpty()) {
            return text.toString();
        }
        long origin = phases.isEmpty() ? 0 : phases.get(0).startOffset().toNanos();
        long span = Math.max(1, report.makespan().toNanos());
        text.append(String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s %11s %-9s %10s %10s |%-" + BAR_WIDTH + "s|",
                "resource", "phase", "outcome", "start ms", "took ms", "0 ms")).append(nl);
        char[] bar = new char[BAR_WIDTH];
        for (DropRecord record : records) {
            Arrays.fill(bar, ' ');
            int from = column(record.startOffset().toNanos() - origin, span);
            int to = Math.max(from + 1, Math.min(BAR_WIDTH,
                    (int) Math.ceil((record.endOffset().toNanos() - origin) * (double) BAR_WIDTH / span)));
            Arrays.fill(bar, from, to, symbol(record.outcome()));
            text.append(String.format(Locale.ROOT, "%-" + NAME_WIDTH + "s %11d %-9s %10s %10s |%s|",
                    clip(printable(record.name()), NAME_WIDTH), record.phase(), record.outcome(),
                    millis(record.startOffset()), millis(record.duration()), new String(bar))).append(nl);
        }
        String end = millis(report.makespan()) + " ms";
        text.append(String.format(Locale.ROOT, "%" + TABLE_WIDTH + "s|%" + BAR_WIDTH + "s|", "", end)).append(nl);
        text.append(String.format(Locale.ROOT, "%" + TABLE_WIDTH + "s %s", "", legend())).append(nl);
        for (DropRecord record : records) {
            record.failure().ifPresent(failure -> text.append(clip("Failed: " + printable(record.name()) + ": "
                    + printable(Failures.describe(failure)), LINE_WIDTH)).append(nl));
        }
        return text.toString();
    }

    /**
     * The first line. It names the resources without a verb of dropping, so that "dropped" only ever means
     * {@link DropOutcome#DROPPED}.
     */
    private static String summary(DropReport report) {
        int size = report.records().size();
        return size + (size == 1 ? " resource" : " resources") + " in " + millis(report.makespan())
                + " ms (critical path " + millis(report.criticalPath()) + " ms" + ratio(report) + "): "
                + counts(report);
    }

    /** @return the count of every outcome in words: {@code 3 dropped, 1 failed, 0 timed out, 0 skipped} */
    static String counts(DropReport report) {
        List<String> counts = new ArrayList<>(DropOutcome.values().length);
        for (DropOutcome outcome : DropOutcome.values()) {
            counts.add(report.count(outcome) + " " + outcome.label());
        }
        return String.join(", ", counts);
    }

    // How close the shutdown came to the physical limit; omitted when the critical path is too short to divide by.
    private static String ratio(DropReport report) {
        Duration criticalPath = report.criticalPath();
        if (criticalPath.toNanos() < 1_000) {
            return "";
        }
        return String.format(Locale.ROOT, ", %.2fx of it", (double) report.makespan().toNanos()
                / criticalPath.toNanos());
    }

    private static String legend() {
        List<String> entries = new ArrayList<>(DropOutcome.values().length);
        for (DropOutcome outcome : DropOutcome.values()) {
            entries.add(symbol(outcome) + " " + outcome.label());
        }
        return String.join("  ", entries);
    }

    private static char symbol(DropOutcome outcome) {
        return switch (outcome) {
            case DROPPED -> '#';
            case FAILED -> 'x';
            case TIMED_OUT -> '!';
            case SKIPPED -> '.';
        };
    }

    private static int column(long offsetNanos, long spanNanos) {
        int column = (int) (Math.max(0, offsetNanos) * (double) BAR_WIDTH / spanNanos);
        return Math.min(BAR_WIDTH - 1, column);
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    /** Keeps one resource on one line of a log, whatever characters its name has. */
    private static String printable(String text) {
        StringBuilder printable = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (printable == null) {
                    printable = new StringBuilder(text.substring(0, i));
                }
                printable.append('?');
            }
            else if (printable != null) {
                printable.append(c);
            }
        }
        return printable != null ? printable.toString() : text;
    }
}
