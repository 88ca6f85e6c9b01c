package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * What happened during a {@link DropPlan} execution: a record per resource, a summary per phase, the makespan and
 * the critical path, renderable as text with a timeline, as JSON, and as Chrome trace events (opens in Perfetto).
 * Offsets are relative to the start of the plan's first execution. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class DropReport {

    static final DropReport EMPTY = new DropReport(List.of(), List.of(), Duration.ZERO, Duration.ZERO, List.of());

    private static final int TEXT_NAME_WIDTH = 24;
    private static final int TEXT_BAR_WIDTH = 48;
    /** Name, phase, outcome, start and duration columns with the spaces between them. */
    private static final int TEXT_TABLE_WIDTH = TEXT_NAME_WIDTH + 45;

    private final List<DropRecord> records;
    private final List<PhaseRecord> phases;
    private final Duration makespan;
    private final Duration criticalPath;
    private final List<String> criticalPathResources;
    private final Map<DropOutcome, Integer> counts = new EnumMap<>(DropOutcome.class);

    DropReport(List<DropRecord> records, List<PhaseRecord> phases, Duration makespan, Duration criticalPath,
            List<String> criticalPathResources) {
        this.records = List.copyOf(records);
        this.phases = List.copyOf(phases);
        this.makespan = makespan;
        this.criticalPath = criticalPath;
        this.criticalPathResources = List.copyOf(criticalPathResources);
        for (DropOutcome outcome : DropOutcome.values()) {
            counts.put(outcome, 0);
        }
        for (DropRecord record : this.records) {
            counts.merge(record.outcome(), 1, Integer::sum);
        }
    }

    /** @return a record per resource, in start order */
    public List<DropRecord> records() {
        return records;
    }

    /** @return a summary per phase, in the order the phases ran */
    public List<PhaseRecord> phases() {
        return phases;
    }

    /**
     * @param outcome an outcome
     * @return how many resources ended with it
     */
    public int count(DropOutcome outcome) {
        return counts.get(Objects.requireNonNull(outcome, "'outcome' must not be null"));
    }

    /** @return whether every resource was {@link DropOutcome#DROPPED} */
    public boolean allDropped() {
        return count(DropOutcome.DROPPED) == records.size();
    }

    /** @return the time from the start of the execution until its last phase completed */
    public Duration makespan() {
        return makespan;
    }

    /**
     * @return the longest chain of measured drop durations along dependency edges: the least makespan any
     * scheduler could have reached with these durations
     */
    public Duration criticalPath() {
        return criticalPath;
    }

    /** @return the names of the resources on the {@linkplain #criticalPath() critical path}, first dropped first */
    public List<String> criticalPathResources() {
        return criticalPathResources;
    }

    /**
     * Renders the report as a JSON object with {@code makespanMillis}, {@code criticalPathMillis},
     * {@code criticalPath} (names), {@code counts} (by outcome), {@code phases} and {@code records}; times are
     * milliseconds with microsecond precision.
     * @return this report as JSON
     */
    public String toJson() {
        StringBuilder json = new StringBuilder(128 + records.size() * 128);
        json.append("{\"makespanMillis\":").append(millis(makespan));
        json.append(",\"criticalPathMillis\":").append(millis(criticalPath));
        json.append(",\"criticalPath\":[");
        for (int i = 0; i < criticalPathResources.size(); i++) {
            json.append(i > 0 ? "," : "");
            quote(json, criticalPathResources.get(i));
        }
        json.append("],\"counts\":{");
        boolean first = true;
        for (DropOutcome outcome : DropOutcome.values()) {
            json.append(first ? "" : ",").append('"').append(outcome).append("\":").append(count(outcome));
            first = false;
        }
        json.append("},\"phases\":[");
        for (int i = 0; i < phases.size(); i++) {
            PhaseRecord phase = phases.get(i);
            json.append(i > 0 ? "," : "").append("{\"phase\":").append(phase.phase());
            json.append(",\"outcome\":\"").append(phase.outcome()).append('"');
            json.append(",\"startMillis\":").append(millis(phase.startOffset()));
            json.append(",\"durationMillis\":").append(millis(phase.duration())).append('}');
        }
        json.append("],\"records\":[");
        for (int i = 0; i < records.size(); i++) {
            DropRecord record = records.get(i);
            json.append(i > 0 ? "," : "").append("{\"name\":");
            quote(json, record.name());
            json.append(",\"phase\":").append(record.phase());
            json.append(",\"outcome\":\"").append(record.outcome()).append('"');
            json.append(",\"startMillis\":").append(millis(record.startOffset()));
            json.append(",\"durationMillis\":").append(millis(record.duration()));
            record.failure().ifPresent(failure -> {
                json.append(",\"failure\":{\"type\":");
                quote(json, failure.getClass().getName());
                json.append(",\"message\":");
                if (failure.getMessage() != null) {
                    quote(json, failure.getMessage());
                }
                else {
                    json.append("null");
                }
                json.append('}');
            });
            json.append('}');
        }
        return json.append("]}").toString();
    }

    /**
     * Renders the report in the Chrome trace event format: one complete ({@code "ph":"X"}) event per resource, on
     * lanes ({@code tid}) chosen so that overlapping drops never share one, and one event per phase on lane 0.
     * @return this report in the Chrome trace event format, which Perfetto and chrome://tracing open
     */
    public String toTraceEventJson() {
        StringBuilder json = new StringBuilder(64 + records.size() * 160);
        json.append("{\"traceEvents\":[");
        boolean first = true;
        for (PhaseRecord phase : phases) {
            json.append(first ? "" : ",").append("{\"name\":\"phase ").append(phase.phase()).append('"');
            json.append(",\"cat\":\"phase\",\"ph\":\"X\",\"ts\":").append(micros(phase.startOffset()));
            json.append(",\"dur\":").append(micros(phase.duration())).append(",\"pid\":1,\"tid\":0");
            json.append(",\"args\":{\"phase\":").append(phase.phase());
            json.append(",\"outcome\":\"").append(phase.outcome()).append("\"}}");
            first = false;
        }
        int[] lanes = lanes();
        for (int i = 0; i < records.size(); i++) {
            DropRecord record = records.get(i);
            json.append(first ? "" : ",").append("{\"name\":");
            quote(json, record.name());
            json.append(",\"cat\":\"drop\",\"ph\":\"X\",\"ts\":").append(micros(record.startOffset()));
            json.append(",\"dur\":").append(micros(record.duration()));
            json.append(",\"pid\":1,\"tid\":").append(lanes[i]);
            json.append(",\"args\":{\"phase\":").append(record.phase());
            json.append(",\"outcome\":\"").append(record.outcome()).append('"');
            record.failure().ifPresent(failure -> {
                json.append(",\"failure\":");
                quote(json, failure.toString());
            });
            json.append("}}");
            first = false;
        }
        return json.append("],\"displayTimeUnit\":\"ms\"}").toString();
    }

    /** Assigns each record the lowest lane, from 1, that is free when it starts (records are in start order). */
    private int[] lanes() {
        int[] lanes = new int[records.size()];
        // Free lanes by number, busy lanes by the end of the drop occupying them.
        PriorityQueue<Integer> free = new PriorityQueue<>();
        PriorityQueue<long[]> busy = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        int next = 1;
        for (int i = 0; i < records.size(); i++) {
            DropRecord record = records.get(i);
            long start = record.startOffset().toNanos();
            while (!busy.isEmpty() && busy.peek()[0] <= start) {
                free.add((int) busy.poll()[1]);
            }
            int lane = free.isEmpty() ? next++ : free.poll();
            lanes[i] = lane;
            // A zero-length drop still occupies its lane for the instant it happens.
            busy.add(new long[] { Math.max(record.endOffset().toNanos(), start + 1), lane });
        }
        return lanes;
    }

    // How close the shutdown came to the physical limit; omitted when the critical path is too short to divide by.
    private String ratioToCriticalPath() {
        if (criticalPath.toNanos() < 1_000) {
            return "";
        }
        return String.format(Locale.ROOT, ", %.2fx of it", (double) makespan.toNanos() / criticalPath.toNanos());
    }

    /**
     * Renders the report for a log: a summary line, the phases, a table with a row per resource and, on the same
     * row, a bar on a time axis common to all resources; then the failures. Lines are at most 120 characters.
     * @return a text rendering for logs
     */
    public String toText() {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder(256 + records.size() * 124);
        text.append(clip("Dropped " + records.size() + (records.size() == 1 ? " resource" : " resources") + " in "
                + millis(makespan) + " ms (critical path " + millis(criticalPath) + " ms" + ratioToCriticalPath()
                + "): "
                + count(DropOutcome.DROPPED) + " dropped, " + count(DropOutcome.FAILED) + " failed, "
                + count(DropOutcome.TIMED_OUT) + " timed out, " + count(DropOutcome.SKIPPED) + " skipped", 120))
                .append(nl);
        if (!criticalPathResources.isEmpty()) {
            text.append(clip("Critical path: " + printable(String.join(" > ", criticalPathResources)), 120))
                    .append(nl);
        }
        for (PhaseRecord phase : phases) {
            text.append(String.format(Locale.ROOT, "Phase %d: %s, started at %s ms, took %s ms", phase.phase(),
                    phase.outcome(), millis(phase.startOffset()), millis(phase.duration()))).append(nl);
        }
        if (records.isEmpty()) {
            return text.toString();
        }
        long origin = phases.isEmpty() ? 0 : phases.get(0).startOffset().toNanos();
        long span = Math.max(1, makespan.toNanos());
        text.append(String.format(Locale.ROOT,
                "%-" + TEXT_NAME_WIDTH + "s %11s %-9s %10s %10s |%-" + TEXT_BAR_WIDTH + "s|",
                "resource", "phase", "outcome", "start ms", "took ms", "0 ms")).append(nl);
        char[] bar = new char[TEXT_BAR_WIDTH];
        for (DropRecord record : records) {
            Arrays.fill(bar, ' ');
            int from = column(record.startOffset().toNanos() - origin, span);
            int to = Math.max(from + 1, Math.min(TEXT_BAR_WIDTH,
                    (int) Math.ceil((record.endOffset().toNanos() - origin) * (double) TEXT_BAR_WIDTH / span)));
            Arrays.fill(bar, from, to, symbol(record.outcome()));
            text.append(String.format(Locale.ROOT, "%-" + TEXT_NAME_WIDTH + "s %11d %-9s %10s %10s |%s|",
                    clip(printable(record.name()), TEXT_NAME_WIDTH), record.phase(), record.outcome(),
                    millis(record.startOffset()), millis(record.duration()), new String(bar))).append(nl);
        }
        String end = millis(makespan) + " ms";
        text.append(String.format(Locale.ROOT, "%" + TEXT_TABLE_WIDTH + "s|%" + TEXT_BAR_WIDTH + "s|", "", end))
                .append(nl);
        text.append(String.format(Locale.ROOT, "%" + TEXT_TABLE_WIDTH + "s %s", "",
                "# dropped  x failed  ! timed out  . skipped")).append(nl);
        for (DropRecord record : records) {
            record.failure().ifPresent(failure -> text
                    .append(clip("Failed: " + printable(record.name()) + ": " + printable(failure.toString()), 120))
                    .append(nl));
        }
        return text.toString();
    }

    private static int column(long offsetNanos, long spanNanos) {
        int column = (int) (Math.max(0, offsetNanos) * (double) TEXT_BAR_WIDTH / spanNanos);
        return Math.min(TEXT_BAR_WIDTH - 1, column);
    }

    private static char symbol(DropOutcome outcome) {
        switch (outcome) {
            case DROPPED:
                return '#';
            case FAILED:
                return 'x';
            case TIMED_OUT:
                return '!';
            default:
                return '.';
        }
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

    /** @return the duration in milliseconds with three decimals, independent of the default locale */
    static String millis(Duration duration) {
        return thousandths(duration.toNanos() / 1_000);
    }

    private static String micros(Duration duration) {
        return thousandths(duration.toNanos());
    }

    private static String thousandths(long value) {
        long whole = value / 1_000;
        long fraction = Math.abs(value % 1_000);
        String sign = value < 0 && whole == 0 ? "-" : "";
        return sign + whole + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
    }

    /** Appends a JSON string literal: quotes, backslashes, control characters and lone surrogates escaped. */
    static void quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    json.append("\\\"");
                    break;
                case '\\':
                    json.append("\\\\");
                    break;
                case '\n':
                    json.append("\\n");
                    break;
                case '\r':
                    json.append("\\r");
                    break;
                case '\t':
                    json.append("\\t");
                    break;
                case '\b':
                    json.append("\\b");
                    break;
                case '\f':
                    json.append("\\f");
                    break;
                default:
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
                            && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)));
                    if (Character.isHighSurrogate(c) && !loneSurrogate) {
                        json.append(c).append(value.charAt(++i));
                    }
                    else if (c < 0x20 || loneSurrogate || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    }
                    else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }

    @Override
    public String toString() {
        return "DropReport[" + records.size() + " resources, makespan " + millis(makespan) + " ms, critical path "
                + millis(criticalPath) + " ms, " + count(DropOutcome.FAILED) + " failed, "
                + count(DropOutcome.TIMED_OUT) + " timed out, " + count(DropOutcome.SKIPPED) + " skipped]";
    }
}
