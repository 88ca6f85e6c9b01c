package dev.asyncdrop.internal.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.internal.Durations;

/**
 * A validated plan, copied out of its {@link PlanSpec}: the graph, each resource and its own timeout, the phases'
 * timeouts, the listeners and the executor. A {@link PhaseRun} takes it whole. Immutable and thread-safe; the
 * arrays it hands out are its own and must not be modified.
 */
public final class CompiledPlan {

    private final PlanGraph graph;
    private final AsyncDroppable[] resources;
    private final @Nullable Duration[] ownTimeouts;
    private final long[] ownTimeoutNanos;
    private final DropListeners listeners;
    private final Executor executor;
    private final Duration defaultPhaseTimeout;
    private final Map<Integer, Duration> phaseTimeouts;
    private final int[] phaseValues;

    CompiledPlan(PlanGraph graph, AsyncDroppable[] resources, @Nullable Duration[] ownTimeouts,
            DropListeners listeners, Executor executor, Duration defaultPhaseTimeout,
            Map<Integer, Duration> phaseTimeouts) {
        this.graph = graph;
        this.resources = resources;
        this.ownTimeouts = ownTimeouts;
        this.ownTimeoutNanos = new long[ownTimeouts.length];
        for (int node = 0; node < ownTimeouts.length; node++) {
            Duration timeout = ownTimeouts[node];
            this.ownTimeoutNanos[node] = (timeout != null) ? Durations.saturatedNanos(timeout) : 0;
        }
        this.listeners = listeners;
        this.executor = executor;
        this.defaultPhaseTimeout = defaultPhaseTimeout;
        this.phaseTimeouts = phaseTimeouts;
        this.phaseValues = graph.phaseValues();
    }

    /** @return the dependency graph */
    public PlanGraph graph() {
        return this.graph;
    }

    /**
     * @param node a node
     * @return its resource
     */
    public AsyncDroppable resource(int node) {
        return this.resources[node];
    }

    /**
     * @param node a node
     * @return its own timeout in nanoseconds, 0 when it has none
     */
    public long ownTimeoutNanos(int node) {
        return this.ownTimeoutNanos[node];
    }

    /** @return the plan's listeners as one */
    public DropListeners listeners() {
        return this.listeners;
    }

    /** @return what runs the drops */
    public Executor executor() {
        return this.executor;
    }

    /** @return how many phases have resources */
    public int phaseCount() {
        return this.phaseValues.length;
    }

    /**
     * @param phaseIndex an index among the phases, highest phase first
     * @return that phase
     */
    public int phase(int phaseIndex) {
        return this.phaseValues[phaseIndex];
    }

    /**
     * @param phase a phase
     * @return its timeout: its own, or the default
     */
    public Duration phaseTimeout(int phase) {
        return this.phaseTimeouts.getOrDefault(phase, this.defaultPhaseTimeout);
    }

    /** @return every resource as planned, in the order they were added */
    public List<PlannedResource> describe() {
        PlannedResource[] all = new PlannedResource[this.resources.length];
        for (int node = 0; node < all.length; node++) {
            all[node] = new PlannedResource(this.graph.name(node), this.resources[node], this.graph.phase(node),
                    Optional.ofNullable(this.ownTimeouts[node]), names(this.graph.dependencyStart(node),
                            this.graph.dependencyEnd(node), true), names(this.graph.dependentStart(node),
                            this.graph.dependentEnd(node), false));
        }
        return List.of(all);
    }

    private List<String> names(int fromEdge, int toEdge, boolean dependencies) {
        List<String> names = new ArrayList<>(toEdge - fromEdge);
        for (int edge = fromEdge; edge < toEdge; edge++) {
            names.add(this.graph.name(dependencies ? this.graph.dependency(edge) : this.graph.dependent(edge)));
        }
        return List.copyOf(names);
    }
}
