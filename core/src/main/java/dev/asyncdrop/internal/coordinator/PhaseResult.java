package dev.asyncdrop.internal.coordinator;

import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.PhaseRecord;

/**
 * The outcome of one phase run: the phase's summary and a record per resource, aligned with the nodes.
 *
 * @param summary the phase's summary
 * @param nodes the phase's nodes in the plan graph
 * @param records the record of each node, same order
 */
public record PhaseResult(PhaseRecord summary, int[] nodes, DropRecord[] records) {
}
