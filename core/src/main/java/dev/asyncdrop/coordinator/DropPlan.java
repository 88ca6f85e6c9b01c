package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.internal.coordinator.DropThreads;
import dev.asyncdrop.internal.coordinator.PhaseResult;
import dev.asyncdrop.internal.coordinator.PhaseRun;
import dev.asyncdrop.internal.coordinator.PlanGraph;

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
 * up nothing. A drop that throws, returns {@code null} or fails is {@link DropOutcome#FAILED} and also counts as
 * finished: a failure never stops other drops.
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

    /** The phase timeout used when none is set. */
    public static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(20);

    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final PlanGraph graph;
    private final AsyncDroppable[] resources;
    private final @Nullable Duration[] ownTimeouts;
    private final long[] ownTimeoutNanos;
    private final DropListener[] listeners;
    private final Executor executor;
    private final Duration defaultPhaseTimeout;
    private final Map<Integer, Duration> phaseTimeouts;
    private final int[] phaseValues;

    private final AtomicReferenceArray<@Nullable CompletableFuture<PhaseResult>> phaseRuns;
    private final AtomicReference<@Nullable CompletableFuture<DropReport>> fullRun = new AtomicReference<>();
    private final AtomicLong originNanos = new AtomicLong(NOT_STARTED);
    private volatile @Nullable List<PlannedResource> plannedResources;

    private DropPlan(Builder builder, PlanGraph graph) {
        this.graph = graph;
        this.resources = builder.resources.toArray(new AsyncDroppable[0]);
        this.ownTimeouts = builder.ownTimeouts.toArray(new Duration[0]);
        this.ownTimeoutNanos = new long[resources.length];
        for (int i = 0; i < ownTimeouts.length; i++) {
            Duration timeout = ownTimeouts[i];
            ownTimeoutNanos[i] = timeout != null ? saturatedNanos(timeout) : 0;
        }
        this.listeners = builder.listeners.toArray(new DropListener[0]);
        this.executor = builder.executor != null ? builder.executor : DropThreads.pool();
        this.defaultPhaseTimeout = builder.defaultPhaseTimeout;
        this.phaseTimeouts = Map.copyOf(builder.phaseTimeouts);
        this.phaseValues = graph.phaseValues();
        this.phaseRuns = new AtomicReferenceArray<>(phaseValues.length);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Drops every phase, highest first, each after the previous one completed. Phases already run by
     * {@link #executePhase(int)} are not run again. Idempotent: every call returns a future for the same execution.
     * @return a future completed with the report of every phase once the last one has completed; never completed
     * exceptionally because of a resource
     */
    public CompletableFuture<DropReport> execute() {
        CompletableFuture<DropReport> run = fullRun.get();
        if (run == null) {
            CompletableFuture<DropReport> created = new CompletableFuture<>();
            if (fullRun.compareAndSet(null, created)) {
                CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
                for (int i = 0; i < phaseValues.length; i++) {
                    int phaseIndex = i;
                    chain = chain.thenCompose(ignored -> runPhase(phaseIndex));
                }
                chain.whenComplete((ignored, failure) -> {
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
                run = Objects.requireNonNull(fullRun.get());
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
        int phaseIndex = graph.phaseIndex(phase);
        if (phaseIndex < 0) {
            return CompletableFuture.completedFuture(DropReport.EMPTY);
        }
        return runPhase(phaseIndex).thenApply(result -> toReport(List.of(result)));
    }

    /**
     * Reports every phase executed so far, through {@link #execute()} or {@link #executePhase(int)}, with offsets
     * relative to the start of the plan's first execution. Phases not run or still running contribute nothing.
     * @return the report
     */
    public DropReport report() {
        List<PhaseResult> results = new ArrayList<>(phaseValues.length);
        for (int i = 0; i < phaseValues.length; i++) {
            CompletableFuture<PhaseResult> run = phaseRuns.get(i);
            if (run != null && run.isDone() && !run.isCompletedExceptionally()) {
                results.add(run.join());
            }
        }
        return toReport(results);
    }

    /** @return the phases that have resources, highest first */
    public List<Integer> phases() {
        List<Integer> phases = new ArrayList<>(phaseValues.length);
        for (int phase : phaseValues) {
            phases.add(phase);
        }
        return Collections.unmodifiableList(phases);
    }

    /**
     * @param phase a phase
     * @return the timeout of that phase
     */
    public Duration phaseTimeout(int phase) {
        return phaseTimeouts.getOrDefault(phase, defaultPhaseTimeout);
    }

    /** @return every resource of the plan, with its dependencies and dependents, in the order they were added */
    public List<PlannedResource> resources() {
        List<PlannedResource> planned = plannedResources;
        if (planned == null) {
            PlannedResource[] all = new PlannedResource[resources.length];
            for (int node = 0; node < all.length; node++) {
                all[node] = planned(node);
            }
            planned = List.of(all);
            plannedResources = planned;
        }
        return planned;
    }

    /**
     * @param name a resource's name
     * @return that resource, if the plan has it
     */
    public Optional<PlannedResource> resource(String name) {
        Objects.requireNonNull(name, "'name' must not be null");
        int node = graph.indexOf(name);
        return node < 0 ? Optional.empty() : Optional.of(resources().get(node));
    }

    private PlannedResource planned(int node) {
        List<String> dependsOn = new ArrayList<>(graph.dependencyEnd(node) - graph.dependencyStart(node));
        for (int k = graph.dependencyStart(node); k < graph.dependencyEnd(node); k++) {
            dependsOn.add(graph.name(graph.dependency(k)));
        }
        List<String> dependents = new ArrayList<>(graph.dependentEnd(node) - graph.dependentStart(node));
        for (int k = graph.dependentStart(node); k < graph.dependentEnd(node); k++) {
            dependents.add(graph.name(graph.dependent(k)));
        }
        return new PlannedResource(graph.name(node), resources[node], graph.phase(node),
                Optional.ofNullable(ownTimeouts[node]), List.copyOf(dependsOn), List.copyOf(dependents));
    }

    private CompletableFuture<PhaseResult> runPhase(int phaseIndex) {
        CompletableFuture<PhaseResult> run = phaseRuns.get(phaseIndex);
        if (run != null) {
            return run;
        }
        CompletableFuture<PhaseResult> created = new CompletableFuture<>();
        if (!phaseRuns.compareAndSet(phaseIndex, null, created)) {
            return Objects.requireNonNull(phaseRuns.get(phaseIndex));
        }
        List<CompletableFuture<PhaseResult>> higherRunning = new ArrayList<>();
        for (int higher = 0; higher < phaseIndex; higher++) {
            CompletableFuture<PhaseResult> higherRun = phaseRuns.get(higher);
            if (higherRun != null && !higherRun.isDone()) {
                higherRunning.add(higherRun);
            }
        }
        if (higherRunning.isEmpty()) {
            startPhase(phaseIndex, created);
        }
        else {
            CompletableFuture.allOf(higherRunning.toArray(new CompletableFuture<?>[0]))
                    .whenComplete((ignored, failure) -> startPhase(phaseIndex, created));
        }
        return created;
    }

    private void startPhase(int phaseIndex, CompletableFuture<PhaseResult> completion) {
        try {
            long start = System.nanoTime();
            originNanos.compareAndSet(NOT_STARTED, start);
            PhaseRun run = new PhaseRun(graph, phaseIndex, resources, ownTimeoutNanos, listeners, executor,
                    originNanos.get(), start, completion);
            run.start(saturatedNanos(phaseTimeout(phaseValues[phaseIndex])));
        }
        catch (RuntimeException | Error ex) {
            // Callers learn of it through the phase's future, like of every other outcome.
            completion.completeExceptionally(ex);
        }
    }

    private DropReport toReport(List<PhaseResult> results) {
        if (results.isEmpty()) {
            return DropReport.EMPTY;
        }
        int count = 0;
        for (PhaseResult result : results) {
            count += result.records().length;
        }
        List<DropRecord> records = new ArrayList<>(count);
        List<PhaseRecord> phases = new ArrayList<>(results.size());
        long[] durations = new long[graph.size()];
        boolean[] included = new boolean[graph.size()];
        for (PhaseResult result : results) {
            phases.add(result.summary());
            int[] nodes = result.nodes();
            DropRecord[] phaseRecords = result.records();
            for (int local = 0; local < nodes.length; local++) {
                durations[nodes[local]] = phaseRecords[local].duration().toNanos();
                included[nodes[local]] = true;
            }
            records.addAll(Arrays.asList(phaseRecords));
        }
        // A stable sort keeps each phase's drop order among drops that started at the same instant.
        records.sort(Comparator.comparing(DropRecord::startOffset));
        phases.sort(Comparator.comparing(PhaseRecord::startOffset));
        Duration first = phases.get(0).startOffset();
        Duration last = first;
        for (PhaseRecord phase : phases) {
            if (phase.endOffset().compareTo(last) > 0) {
                last = phase.endOffset();
            }
        }
        int[] chain = graph.longestChain(durations, included);
        long criticalNanos = 0;
        List<String> criticalNames = new ArrayList<>(chain.length);
        for (int node : chain) {
            criticalNanos += durations[node];
            criticalNames.add(graph.name(node));
        }
        return new DropReport(records, phases, last.minus(first), Duration.ofNanos(criticalNanos), criticalNames);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }

    private static Duration requirePositive(@Nullable Duration timeout, String parameter) {
        return requirePositive(timeout, parameter, "");
    }

    /** @param owner what the timeout belongs to, such as {@code " of phase 100"}, or empty */
    private static Duration requirePositive(@Nullable Duration timeout, String parameter, String owner) {
        Objects.requireNonNull(timeout, "'" + parameter + "'" + owner + " must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("'" + parameter + "'" + owner + " must be positive, but was "
                    + timeout);
        }
        return timeout;
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

        private final List<String> names = new ArrayList<>();
        private final List<AsyncDroppable> resources = new ArrayList<>();
        private int[] phases = new int[16];
        private final List<@Nullable Duration> ownTimeouts = new ArrayList<>();
        private final List<List<String>> dependsOn = new ArrayList<>();
        private final List<DropListener> listeners = new ArrayList<>();
        private final Map<Integer, Duration> phaseTimeouts = new HashMap<>();
        private Duration defaultPhaseTimeout = DEFAULT_PHASE_TIMEOUT;
        private @Nullable Executor executor;

        private Builder() {
        }

        /**
         * @param timeout the timeout of every phase that has no timeout of its own (default 20 s); positive
         * @return this builder
         */
        public Builder defaultPhaseTimeout(Duration timeout) {
            this.defaultPhaseTimeout = requirePositive(timeout, "timeout");
            return this;
        }

        /**
         * @param phase a phase
         * @param timeout its timeout; positive
         * @return this builder
         */
        public Builder phaseTimeout(int phase, Duration timeout) {
            phaseTimeouts.put(phase, requirePositive(timeout, "timeout", " of phase " + phase));
            return this;
        }

        /**
         * Adds a resource in phase 0 with no dependencies.
         * @param name its unique name; not blank
         * @param resource the resource
         * @return this builder
         */
        public Builder add(String name, AsyncDroppable resource) {
            return add(requireName(name, "name"), resource, DEFAULT_PHASE, null, List.of());
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
            return add(name, resource, configured.phase, configured.timeout, List.copyOf(configured.dependsOn));
        }

        private Builder add(String name, AsyncDroppable resource, int phase, @Nullable Duration timeout,
                List<String> dependencies) {
            Objects.requireNonNull(resource, "'resource' must not be null");
            int index = names.size();
            if (index == phases.length) {
                phases = Arrays.copyOf(phases, index * 2);
            }
            names.add(name);
            resources.add(resource);
            phases[index] = phase;
            ownTimeouts.add(timeout);
            dependsOn.add(dependencies);
            return this;
        }

        /**
         * @param listener hears about every execution; any number may be added
         * @return this builder
         */
        public Builder listener(DropListener listener) {
            listeners.add(Objects.requireNonNull(listener, "'listener' must not be null"));
            return this;
        }

        /**
         * @param executor runs {@code asyncDrop()} calls, off the scheduling thread (default: a shared pool of
         * daemon threads that grows on demand). It must run tasks on other threads than the caller's, and should
         * not limit its threads so tightly that a drop blocking in {@code asyncDrop()} starves the others
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "'executor' must not be null");
            return this;
        }

        /**
         * Validates and builds the plan, in time linear in resources plus dependencies.
         * @return the plan
         * @throws DependencyCycleException when dependencies form a cycle
         * @throws dev.asyncdrop.AsyncDropException for duplicate names, unknown dependencies, or a dependency on a
         * resource of a higher phase; the message names the resources and says what to change
         */
        public DropPlan build() {
            PlanGraph graph = PlanGraph.validate(names, Arrays.copyOf(phases, names.size()), dependsOn);
            return new DropPlan(this, graph);
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
         * @param names resources this one uses, which must be dropped after it
         * @return this spec
         */
        public ResourceSpec dependsOn(String... names) {
            Objects.requireNonNull(names, "'names' must not be null");
            return dependsOn(Arrays.asList(names));
        }

        /**
         * @param names resources this one uses, which must be dropped after it
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
         * @param phase the phase (default 0); phases drop highest first
         * @return this spec
         */
        public ResourceSpec phase(int phase) {
            this.phase = phase;
            return this;
        }

        /**
         * @param timeout how long to wait for this resource's drop before it is {@link DropOutcome#TIMED_OUT};
         * positive
         * @return this spec
         */
        public ResourceSpec timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout", " of resource '" + name + "'");
            return this;
        }
    }
}
