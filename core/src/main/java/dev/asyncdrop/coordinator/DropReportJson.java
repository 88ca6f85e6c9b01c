package dev.asyncdrop.coordinator;

import static dev.asyncdrop.coordinator.JsonStrings.quote;
import static dev.asyncdrop.coordinator.ReportTimes.millis;

import java.util.List;

import dev.asyncdrop.internal.Failures;

/**
 * Writes a {@link DropReport} as the JSON object {@link DropReport#toJson()} documents. Thread-safe: stateless.
 */
final class DropReportJson {

    private DropReportJson() {
    }

    static String render(DropReport report) {
        List<DropRecord> records = report.records();
        StringBuilder json = new StringBuilder(128 + records.size() * 128);
        json.append("{\"makespanMillis\":").append(millis(report.makespan()));
        json.append(",\"criticalPathMillis\":").append(millis(report.criticalPath()));
        json.append(",\"criticalPath\":[");
        List<String> criticalPath = report.criticalPathResources();
        for (int i = 0; i < criticalPath.size(); i++) {
            json.append(i > 0 ? "," : "");
            quote(json, criticalPath.get(i));
        }
        json.append("],\"counts\":{");
        for (DropOutcome outcome : DropOutcome.values()) {
            json.append(outcome.ordinal() > 0 ? "," : "").append('"').append(outcome.name()).append("\":")
                    .append(report.count(outcome));
        }
        json.append("},\"phases\":[");
        List<PhaseRecord> phases = report.phases();
        for (int i = 0; i < phases.size(); i++) {
            PhaseRecord phase = phases.get(i);
            json.append(i > 0 ? "," : "").append("{\"phase\":").append(phase.phase());
            json.append(",\"outcome\":\"").append(phase.outcome().name()).append('"');
            json.append(",\"startMillis\":").append(millis(phase.startOffset()));
            json.append(",\"durationMillis\":").append(millis(phase.duration())).append('}');
        }
        json.append("],\"records\":[");
        for (int i = 0; i < records.size(); i++) {
            DropRecord record = records.get(i);
            json.append(i > 0 ? "," : "").append("{\"name\":");
            quote(json, record.name());
            json.append(",\"phase\":").append(record.phase());
            json.append(",\"outcome\":\"").append(record.outcome().name()).append('"');
            json.append(",\"startMillis\":").append(millis(record.startOffset()));
            json.append(",\"durationMillis\":").append(millis(record.duration()));
            record.failure().ifPresent(failure -> {
                json.append(",\"failure\":{\"type\":");
                quote(json, failure.getClass().getName());
                json.append(",\"message\":");
                String message = Failures.messageOf(failure);
                if (message != null) {
                    quote(json, message);
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
}
