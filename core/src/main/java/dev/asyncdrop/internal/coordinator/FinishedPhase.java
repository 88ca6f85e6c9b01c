package dev.asyncdrop.internal.coordinator;

import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.PhaseRecord;

/**
 * What one run of one phase hands to the report: the phase's public summary and a record per resource, aligned
 * with the phase's nodes so that the critical path can be computed over the graph. Immutable once completed; the
 * arrays are never modified.
 *
 * @param summary the phase's summary
 * @param nodes the phase's nodes in the plan graph
 * @param records the record of each node, same order
 */
public record FinishedPhase(PhaseRecord summary, int[] nodes, DropRecord[] records) {
}
