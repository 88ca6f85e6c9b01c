package dev.asyncdrop.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.ShutdownReportListener;

/** Keeps every shutdown report it is given. Thread-safe. */
final class ReportCapture implements ShutdownReportListener {

    private final List<DropReport> reports = new CopyOnWriteArrayList<>();

    @Override
    public void onShutdownReport(DropReport report) {
        reports.add(report);
    }

    List<DropReport> reports() {
        return List.copyOf(reports);
    }

    /** @return the outcome of each bean in the only report */
    Map<String, DropOutcome> outcomes() {
        if (reports.size() != 1) {
            throw new AssertionError("Expected exactly one report, but got " + reports.size());
        }
        return reports.get(0).records().stream().collect(Collectors.toMap(DropRecord::name, DropRecord::outcome));
    }

    /** @return each bean's record in the only report */
    Map<String, DropRecord> records() {
        return reports.get(0).records().stream().collect(Collectors.toMap(DropRecord::name, Function.identity()));
    }
}
