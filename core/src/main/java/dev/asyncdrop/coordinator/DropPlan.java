package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import dev.asyncdrop.AsyncDroppable;

/**
 * Drops many resources in dependency order, in parallel wherever the graph allows, phase by phase, each phase
 * bounded by a timeout. Immutable once built; thread-safe.
 * <p>
 * {@code A dependsOn B} means A uses B: A's drop must have finished before B's drop starts. Phases run highest
 * first.
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

    private DropPlan() {
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Drops every phase, highest first.
     * @return a future completed with the report once every phase has completed; never completed exceptionally
     * because of a resource
     */
    public CompletableFuture<DropReport> execute() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Drops the resources of one phase.
     * @param phase the phase
     * @return a future completed with the phase's report once the phase has completed
     */
    public CompletableFuture<DropReport> executePhase(int phase) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return the phases that have resources, highest first */
    public List<Integer> phases() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @param phase a phase
     * @return the timeout of that phase
     */
    public Duration phaseTimeout(int phase) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @return every resource of the plan, with its dependencies and dependents */
    public List<PlannedResource> resources() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * @param name a resource's name
     * @return that resource, if the plan has it
     */
    public Optional<PlannedResource> resource(String name) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Collects resources, dependencies and timeouts, and validates them in {@link #build()}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private Builder() {
        }

        /**
         * @param timeout the timeout of every phase that has no timeout of its own (default 20 s)
         * @return this builder
         */
        public Builder defaultPhaseTimeout(Duration timeout) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * @param phase a phase
         * @param timeout its timeout
         * @return this builder
         */
        public Builder phaseTimeout(int phase, Duration timeout) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * Adds a resource in phase 0 with no dependencies.
         * @param name its unique name
         * @param resource the resource
         * @return this builder
         */
        public Builder add(String name, AsyncDroppable resource) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * Adds a resource and configures its dependencies, phase and timeout.
         * @param name its unique name
         * @param resource the resource
         * @param spec configures the resource
         * @return this builder
         */
        public Builder add(String name, AsyncDroppable resource, Consumer<ResourceSpec> spec) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * @param listener hears about every execution; any number may be added
         * @return this builder
         */
        public Builder listener(DropListener listener) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * @param executor runs {@code asyncDrop()} calls, off the scheduling thread (default: a shared pool of
         * daemon threads)
         * @return this builder
         */
        public Builder executor(Executor executor) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * Validates and builds the plan.
         * @return the plan
         * @throws DependencyCycleException when dependencies form a cycle
         * @throws dev.asyncdrop.AsyncDropException for duplicate names, unknown dependencies, or a dependency on a
         * resource of a higher phase
         */
        public DropPlan build() {
            throw new UnsupportedOperationException("not implemented yet");
        }
    }

    /**
     * Configures one resource of a {@link Builder}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class ResourceSpec {

        private ResourceSpec() {
        }

        /**
         * @param names resources this one uses, which must be dropped after it
         * @return this spec
         */
        public ResourceSpec dependsOn(String... names) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * @param names resources this one uses, which must be dropped after it
         * @return this spec
         */
        public ResourceSpec dependsOn(Collection<String> names) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * @param phase the phase (default 0); phases drop highest first
         * @return this spec
         */
        public ResourceSpec phase(int phase) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * @param timeout how long to wait for this resource's drop before it is {@link DropOutcome#TIMED_OUT}
         * @return this spec
         */
        public ResourceSpec timeout(Duration timeout) {
            throw new UnsupportedOperationException("not implemented yet");
        }
    }
}
