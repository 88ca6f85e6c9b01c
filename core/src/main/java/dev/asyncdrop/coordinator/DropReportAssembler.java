package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.asyncdrop.internal.coordinator.FinishedPhase;
import dev.asyncdrop.internal.coordinator.PlanGraph;

/**
 * Turns finished phase runs into a {@link DropReport}: records in start order, phases in the order they ran, the
 * makespan from the first phase's start to the last one's end, and the critical path over the measured durations.
 * Thread-safe: stateless.
 */
final class DropReportAssembler {

    private DropReportAssembler() {
    }

    /**
     * @param graph the plan's graph
     * @param finished the finished phase runs, in any order
     * @return their report; {@link DropReport#EMPTY} when there is none
     */
    static DropReport assemble(PlanGraph graph, List<FinishedPhase> finished) {
        if (finished.isEmpty()) {
            return DropReport.EMPTY;
        }
        int count = 0;
        for (FinishedPhase phase : finished) {
            count += phase.records().length;
        }
        List<DropRecord> records = new ArrayList<>(count);
        List<PhaseRecord> phases = new ArrayList<>(finished.size());
        long[] durations = new long[graph.size()];
        boolean[] included = new boolean[graph.size()];
        for (FinishedPhase phase : finished) {
            phases.add(phase.summary());
            int[] nodes = phase.nodes();
            DropRecord[] phaseRecords = phase.records();
            for (int local = 0; local < nodes.length; local++) {
                durations[nodes[local]] = phaseRecords[local].duration().toNanos();
                included[nodes[local]] = true;
            }
            records.addAll(Arrays.asList(phaseRecords));
        }
        // A stable sort keeps each phase's drop order among drops that started at the same instant.
        records.sort(Comparator.comparing(DropRecord::startOffset));
        phases.sort(Comparator.comparing(PhaseRecord::startOffset));
        int[] chain = graph.longestChain(durations, included);
        long criticalNanos = 0;
        List<String> criticalNames = new ArrayList<>(chain.length);
        for (int node : chain) {
            criticalNanos += durations[node];
            criticalNames.add(graph.name(node));
        }
        return new DropReport(records, phases, makespan(phases), Duration.ofNanos(criticalNanos), criticalNames);
    }

    private static Duration makespan(List<PhaseRecord> phases) {
        Duration first = phases.get(0).startOffset();
        Duration last = first;
        for (PhaseRecord phase : phases) {
            if (phase.endOffset().compareTo(last) > 0) {
                last = phase.endOffset();
            }
        }
        return last.minus(first);
    }
}
