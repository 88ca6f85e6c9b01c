package dev.asyncdrop.internal.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropListener;

/**
 * What a {@code DropPlan.Builder} has collected so far, before validation: the builder checks each argument and
 * stores it here, and {@link #compile()} validates the whole and copies it into a {@link CompiledPlan}. Resources are
 * kept in parallel lists and a phase array, so that collecting 100,000 resources costs no object per resource
 * beyond the caller's own. Not thread-safe, like the builder.
 */
public final class PlanSpec {

    private final List<String> names = new ArrayList<>();
    private final List<AsyncDroppable> resources = new ArrayList<>();
    private int[] phases = new int[16];
    private final List<@Nullable Duration> ownTimeouts = new ArrayList<>();
    private final List<List<String>> dependsOn = new ArrayList<>();
    private final List<DropListener> listeners = new ArrayList<>();
    private final Map<Integer, Duration> phaseTimeouts = new HashMap<>();
    private Duration defaultPhaseTimeout;
    private @Nullable Executor executor;

    /** @param defaultPhaseTimeout the timeout of phases without one of their own, until set otherwise */
    public PlanSpec(Duration defaultPhaseTimeout) {
        this.defaultPhaseTimeout = defaultPhaseTimeout;
    }

    /**
     * Adds a resource; names and dependencies are validated by {@link #compile()}.
     * @param name its name
     * @param resource the resource
     * @param phase its phase
     * @param timeout its own timeout, or {@code null}
     * @param dependencies the names of the resources it uses
     */
    public void add(String name, AsyncDroppable resource, int phase, @Nullable Duration timeout,
            List<String> dependencies) {
        int index = this.names.size();
        if (index == this.phases.length) {
            this.phases = Arrays.copyOf(this.phases, index * 2);
        }
        this.names.add(name);
        this.resources.add(resource);
        this.phases[index] = phase;
        this.ownTimeouts.add(timeout);
        this.dependsOn.add(dependencies);
    }

    /** @param listener a listener, heard after those added before it */
    public void addListener(DropListener listener) {
        this.listeners.add(listener);
    }

    /** @param executor runs the drops */
    public void executor(Executor executor) {
        this.executor = executor;
    }

    /** @param timeout the timeout of phases without one of their own */
    public void defaultPhaseTimeout(Duration timeout) {
        this.defaultPhaseTimeout = timeout;
    }

    /**
     * @param phase a phase
     * @param timeout its timeout
     */
    public void phaseTimeout(int phase, Duration timeout) {
        this.phaseTimeouts.put(phase, timeout);
    }

    /**
     * Validates what was collected and copies it into an immutable plan, in time linear in resources plus
     * dependencies. This spec may be changed and compiled again afterwards without affecting the plan.
     * @return the compiled plan
     * @throws dev.asyncdrop.coordinator.DependencyCycleException when dependencies form a cycle
     * @throws dev.asyncdrop.AsyncDropException for duplicate names, unknown dependencies or a dependency into a higher
     * phase
     */
    public CompiledPlan compile() {
        int size = this.names.size();
        PlanGraph graph = PlanValidator.validate(this.names, Arrays.copyOf(this.phases, size), this.dependsOn);
        return new CompiledPlan(graph, this.resources.toArray(new AsyncDroppable[0]),
                this.ownTimeouts.toArray(new Duration[0]), new DropListeners(this.listeners),
                (this.executor != null) ? this.executor : DropThreads.pool(), this.defaultPhaseTimeout,
                Map.copyOf(this.phaseTimeouts));
    }
}
