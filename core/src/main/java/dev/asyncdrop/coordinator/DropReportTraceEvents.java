package dev.asyncdrop.coordinator;

import static dev.asyncdrop.coordinator.JsonStrings.quote;
import static dev.asyncdrop.coordinator.ReportTimes.micros;

import java.util.List;
import java.util.PriorityQueue;

import dev.asyncdrop.internal.Failures;

/**
 * Writes a {@link DropReport} in the Chrome trace event format, which Perfetto and chrome://tracing open: one
 * complete ({@code "ph":"X"}) event per resource, on lanes ({@code tid}) chosen so that overlapping drops never
 * share one, and one event per phase on lane 0. Thread-safe: stateless.
 */
final class DropReportTraceEvents {

    private DropReportTraceEvents() {
    }

    static String render(DropReport report) {
        List<DropRecord> records = report.records();
        StringBuilder json = new StringBuilder(64 + records.size() * 160);
        json.append("{\"traceEvents\":[");
        boolean first = true;
        for (PhaseRecord phase : report.phases()) {
            json.append(first ? "" : ",").append("{\"name\":\"phase ").append(phase.phase()).append('"');
            json.append(",\"cat\":\"phase\",\"ph\":\"X\",\"ts\":").append(micros(phase.startOffset()));
            json.append(",\"dur\":").append(micros(phase.duration())).append(",\"pid\":1,\"tid\":0");
            json.append(",\"args\":{\"phase\":").append(phase.phase());
            json.append(",\"outcome\":\"").append(phase.outcome().name()).append("\"}}");
            first = false;
        }
        int[] lanes = lanes(records);
        for (int i = 0; i < records.size(); i++) {
            DropRecord record = records.get(i);
            json.append(first ? "" : ",").append("{\"name\":");
            quote(json, record.name());
            json.append(",\"cat\":\"drop\",\"ph\":\"X\",\"ts\":").append(micros(record.startOffset()));
            json.append(",\"dur\":").append(micros(record.duration()));
            json.append(",\"pid\":1,\"tid\":").append(lanes[i]);
            json.append(",\"args\":{\"phase\":").append(record.phase());
            json.append(",\"outcome\":\"").append(record.outcome().name()).append('"');
            record.failure().ifPresent(failure -> {
                json.append(",\"failure\":");
                quote(json, Failures.describe(failure));
            });
            json.append("}}");
            first = false;
        }
        return json.append("],\"displayTimeUnit\":\"ms\"}").toString();
    }

    /** Assigns each record the lowest lane, from 1, that is free when it starts (records are in start order). */
    private static int[] lanes(List<DropRecord> records) {
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
}
