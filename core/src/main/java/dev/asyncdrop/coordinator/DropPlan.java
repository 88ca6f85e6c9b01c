package dev.asyncdrop.coordinator;

import static dev.asyncdrop.internal.Durations.requirePositive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.internal.coordinator.CompiledPlan;
import dev.asyncdrop.internal.coordinator.PlanExecution;
import dev.asyncdrop.internal.coordinator.PlanSpec;

/**
 * Drops many resources in dependency order, in parallel wherever the graph allows, phase by phase, each phase
 * bounded by a timeout. Immutable once built; thread-safe.
 * <p>
 * {@code A dependsOn B} means A uses B: A's drop must have finished (dropped, failed or timed out) before B's drop
 * starts. Within a phase a resource starts dropping the moment the last resource that depends on it has finished;
 * independent resources drop concurrently. Phases run highest first. {@code asyncDrop()} is always called on the
 * plan's executor, never on the caller's thread, so a resource that blocks in it holds up neither the others nor
 * the timeouts.
 * <p>
 * A resource's own timeout, if set, ends the wait for it: it becomes {@link DropOutcome#TIMED_OUT}, counts as
 * finished (the resources it uses may start dropping), and a late completion is ignored. At a phase's deadline every
 * running drop becomes {@link DropOutcome#TIMED_OUT}, every drop not started yet {@link DropOutcome#SKIPPED}, and the
 * phase completes, so a shutdown is never held longer than the sum of its phase timeouts. Each timed-out resource's
 * {@link AsyncDroppable#onDropTimeout()} is called exactly once, on a pool thread, so that a hook that blocks holds
 * up nothing; listeners are called on lanes of their own for the same reason, and a listener that blocks adds at
 * most 100 ms to its phase (see {@link DropListener}). A drop that throws, returns {@code null} or fails is
 * {@link DropOutcome#FAILED} and also counts as finished: a failure never stops other drops.
 * <p>
 * Each phase runs at most once per plan: {@link #execute()} and {@link #executePhase(int)} may be called any number
 * of times from any threads, and every call for a phase that already started returns a future for that same run
 * instead of dropping again. {@link #report()} combines every phase run so far.
 *
 * <pre>{@code
 * DropPlan plan = DropPlan.builder()
 *         .defaultPhaseTimeout(Duration.ofSeconds(20))
 *         .add("writer", writer, n -> n.dependsOn("pool"))
 *         .add("pool", pool)
 *         .build();
 * DropReport report = plan.execute().join();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DropPlan {

    /** The phase of a resource whose phase is not set. */
    public static final int DEFAULT_PHASE = 0;

    /** The phase timeout used when none is set: the one default every module refers to. */
    public static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(20);

    private final CompiledPlan plan;
    private final PlanExecution execution;
    private final List<Integer> phases;
    private final AtomicReference<@Nullable CompletableFuture<DropReport>> fullRun = new AtomicReference<>();
    private volatile @Nullable List<PlannedResource> plannedResources;

    private DropPlan(CompiledPlan plan) {
        this.plan = plan;
        this.execution = new PlanExecution(plan);
        Integer[] phases = new Integer[plan.phaseCount()];
        for (int i = 0; i < phases.length; i++) {
            phases[i] = plan.phase(i);
        }
        this.phases = List.of(phases);
    }

    /**
     * Starts a plan.
     * @return a new builder, with no resources and the default phase timeout
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Drops every phase, highest first, each after the previous one completed, however it ended. Phases already run
     * by {@link #executePhase(int)} are not run again. A phase that cannot even start (no thread to be had) ends with
     * each of its resources {@link DropOutcome#FAILED}, the failure saying why, and the lower phases still run.
     * Idempotent: every call returns a future for the same execution.
     * @return a future completed with the report of every phase once the last one has completed; never completed
     * exceptionally because of a resource
     */
    public CompletableFuture<DropReport> execute() {
        CompletableFuture<DropReport> run = this.fullRun.get();
        if (run == null) {
            CompletableFuture<DropReport> created = new CompletableFuture<>();
            if (this.fullRun.compareAndSet(null, created)) {
                this.execution.runAll().whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        created.completeExceptionally(failure);
                    }
                    else {
                        created.complete(report());
                    }
                });
                run = created;
            }
            else {
                run = Objects.requireNonNull(this.fullRun.get());
            }
        }
        // A new dependent future per caller: completing it cannot disturb other callers.
        return run.thenApply(report -> report);
    }

    /**
     * Drops the resources of one phase. If a higher phase is still running, this phase starts once it has
     * completed. Idempotent: a phase runs at most once per plan, and every call for a phase that already started
     * (here or through {@link #execute()}) returns a future for that same run.
     * @param phase the phase
     * @return a future completed with the phase's report once the phase has completed; completed at once with an
     * empty report when the plan has no resource in that phase
     */
    public CompletableFuture<DropReport> executePhase(int phase) {
        int phaseIndex = this.plan.graph().phaseIndex(phase);
        if (phaseIndex < 0) {
            return CompletableFuture.completedFuture(DropReport.EMPTY);
        }
        return this.execution.run(phaseIndex)
                .thenApply(finished -> DropReportAssembler.assemble(this.plan.graph(), List.of(finished)));
    }

    /**
     * Reports every phase executed so far, through {@link #execute()} or {@link #executePhase(int)}, with offsets
     * relative to the start of the plan's first execution. Phases not run or still running contribute nothing.
     * @return the report
     */
    public DropReport report() {
        return DropReportAssembler.assemble(this.plan.graph(), this.execution.finishedPhases());
    }

    /**
     * The phases of this plan, in the order {@link #execute()} runs them. A phase without resources is not listed
     * even if it has a timeout of its own.
     * @return the phases that have resources, highest first; immutable
     */
    public List<Integer> phases() {
        return this.phases;
    }

    /**
     * The timeout of a phase: how long its drops may take before every drop still running is timed out and every
     * drop not started is skipped.
     * @param phase a phase, with resources or not
     * @return its own timeout if one was set, otherwise the plan's default phase timeout
     */
    public Duration phaseTimeout(int phase) {
        return this.plan.phaseTimeout(phase);
    }

    /**
     * Describes the plan's resources, for tools such as an actuator endpoint.
     * @return every resource of the plan, with its phase, own timeout, dependencies and dependents, in the order
     * they were added; immutable
     */
    public List<PlannedResource> resources() {
        List<PlannedResource> planned = this.plannedResources;
        if (planned == null) {
            planned = this.plan.describe();
            this.plannedResources = planned;
        }
        return planned;
    }

    /**
     * Describes one of the plan's resources.
     * @param name a resource's name
     * @return that resource, if the plan has it
     */
    public Optional<PlannedResource> resource(String name) {
        Objects.requireNonNull(name, "'name' must not be null");
        int node = this.plan.graph().indexOf(name);
        return (node < 0) ? Optional.empty() : Optional.of(resources().get(node));
    }

    private static String requireName(@Nullable String name, String parameter) {
        Objects.requireNonNull(name, "'" + parameter + "' must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("'" + parameter + "' must not be blank");
        }
        return name;
    }

    /**
     * Collects resources, dependencies and timeouts, and validates them in {@link #build()}. Arguments are checked
     * at once; the graph as a whole (names, dependencies, cycles, phases) in {@link #build()}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final PlanSpec spec = new PlanSpec(DEFAULT_PHASE_TIMEOUT);

        private Builder() {
        }

        /**
         * Sets the timeout of every phase that has no timeout of its own.
         * @param timeout the timeout (default {@link DropPlan#DEFAULT_PHASE_TIMEOUT}, 20 s); positive
         * @return this builder
         */
        public Builder defaultPhaseTimeout(Duration timeout) {
            this.spec.defaultPhaseTimeout(requirePositive(timeout, "timeout"));
            return this;
        }

        /**
         * Sets the timeout of one phase, in place of the default phase timeout. Setting it again replaces it.
         * @param phase a phase
         * @param timeout its timeout; positive
         * @return this builder
         */
        public Builder phaseTimeout(int phase, Duration timeout) {
            this.spec.phaseTimeout(phase, requirePositive(timeout, "timeout", " of phase " + phase));
            return this;
        }

        /**
         * Adds a resource in phase 0 with no dependencies.
         * @param name its unique name; not blank
         * @param resource the resource
         * @return this builder
         */
        public Builder add(String name, AsyncDroppable resource) {
            requireName(name, "name");
            this.spec.add(name, Objects.requireNonNull(resource, "'resource' must not be null"), DEFAULT_PHASE,
                    null, List.of());
            return this;
        }

        /**
         * Adds a resource and configures its dependencies, phase and timeout.
         * @param name its unique name; not blank
         * @param resource the resource
         * @param spec configures the resource; called once, before this method returns
         * @return this builder
         */
        public Builder add(String name, AsyncDroppable resource, Consumer<ResourceSpec> spec) {
            requireName(name, "name");
            Objects.requireNonNull(resource, "'resource' must not be null");
            Objects.requireNonNull(spec, "'spec' must not be null");
            ResourceSpec configured = new ResourceSpec(name);
            spec.accept(configured);
            this.spec.add(name, resource, configured.phase, configured.timeout, List.copyOf(configured.dependsOn));
            return this;
        }

        /**
         * Adds a listener that hears about every execution of the plan. Any number may be added, each on a lane of
         * its own, so that one that blocks holds up neither the drops nor the other listeners (see
         * {@link DropListener}); one that throws is logged and skipped.
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(DropListener listener) {
            this.spec.addListener(Objects.requireNonNull(listener, "'listener' must not be null"));
            return this;
        }

        /**
         * Sets the executor that calls the resources' {@code asyncDrop()}, off the scheduling thread (default: a
         * shared pool of daemon threads that grows on demand). The executor must outlive the plan: keep it running
         * until every execution of the plan has completed, and do not make it one of the plan's resources (an
         * executor that rejects work, or throws any other {@code RuntimeException} from {@code execute}, is replaced
         * by the shared pool, with a warning). It must run tasks on other threads than the caller's, and should not
         * limit its threads so tightly that a drop blocking in {@code asyncDrop()} starves the others.
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.spec.executor(Objects.requireNonNull(executor, "'executor' must not be null"));
            return this;
        }

        /**
         * Validates and builds the plan, in time linear in resources plus dependencies. The plan is a copy: this
         * builder may go on collecting and build again.
         * @return the plan
         * @throws DependencyCycleException when dependencies form a cycle
         * @throws dev.asyncdrop.AsyncDropException for duplicate names, unknown dependencies, or a dependency on a
         * resource of a higher phase; the message names the resources and says what to change
         */
        public DropPlan build() {
            return new DropPlan(this.spec.compile());
        }
    }

    /**
     * Configures one resource of a {@link Builder}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class ResourceSpec {

        private final String name;
        private final List<String> dependsOn = new ArrayList<>();
        private int phase = DEFAULT_PHASE;
        private @Nullable Duration timeout;

        private ResourceSpec(String name) {
            this.name = name;
        }

        /**
         * Adds dependencies: resources this one uses, which are dropped after its drop has finished.
         * @param names resources this one uses
         * @return this spec
         */
        public ResourceSpec dependsOn(String... names) {
            Objects.requireNonNull(names, "'names' must not be null");
            return dependsOn(Arrays.asList(names));
        }

        /**
         * Adds dependencies: resources this one uses, which are dropped after its drop has finished.
         * @param names resources this one uses
         * @return this spec
         */
        public ResourceSpec dependsOn(Collection<String> names) {
            Objects.requireNonNull(names, "'names' must not be null");
            for (String dependency : names) {
                if (dependency == null) {
                    throw new NullPointerException("'names' of resource '" + name + "' must not contain null");
                }
                if (dependency.isBlank()) {
                    throw new IllegalArgumentException("'names' of resource '" + name
                            + "' must not contain a blank name");
                }
                dependsOn.add(dependency);
            }
            return this;
        }

        /**
         * Sets the resource's phase. Phases drop highest first; a resource may depend on resources of its own phase
         * or of lower phases only.
         * @param phase the phase (default 0)
         * @return this spec
         */
        public ResourceSpec phase(int phase) {
            this.phase = phase;
            return this;
        }

        /**
         * Sets how long to wait for this resource's drop before it is {@link DropOutcome#TIMED_OUT}, within its
         * phase's timeout.
         * @param timeout the timeout; positive
         * @return this spec
         */
        public ResourceSpec timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout", " of resource '" + name + "'");
            return this;
        }
    }
}
