package dev.asyncdrop.spring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.internal.AdaptedBean;
import dev.asyncdrop.spring.report.ShutdownSummary;

/**
 * The {@code asyncdrop} endpoint, read-only: the drop plan of the application context (phases with their timeouts,
 * resources with their type, phase, timeout, dependencies and dependents), the guards alive in this JVM, the leaks
 * detected so far, and the summary of the previous run's shutdown when a report of it was kept. Thread-safe.
 *
 * @since 0.1.0
 */
@Endpoint(id = "asyncdrop")
public class AsyncDropEndpoint {

    private final Supplier<Optional<DropPlan>> plan;

    private final @Nullable ShutdownSummary lastShutdown;

    /**
     * Creates the endpoint.
     * @param plan gives the plan the context drops at shutdown, empty while there is none
     * @param lastShutdown the summary of the previous run's shutdown, or {@code null} when none was kept
     */
    public AsyncDropEndpoint(Supplier<Optional<DropPlan>> plan, @Nullable ShutdownSummary lastShutdown) {
        this.plan = Objects.requireNonNull(plan, "'plan' must not be null");
        this.lastShutdown = lastShutdown;
    }

    /** @return a description of the drops, guards and leaks of the application */
    @ReadOperation
    public AsyncDropDescriptor asyncDrop() {
        Optional<DropPlan> current = plan.get();
        List<PhaseDescriptor> phases = current
                .map((dropPlan) -> dropPlan.phases()
                        .stream()
                        .map((phase) -> new PhaseDescriptor(phase, dropPlan.phaseTimeout(phase)))
                        .toList())
                .orElse(List.of());
        List<ResourceDescriptor> resources = current
                .map((dropPlan) -> dropPlan.resources().stream().map(ResourceDescriptor::of).toList())
                .orElse(List.of());
        return new AsyncDropDescriptor(phases, resources, LeakDetection.liveGuards(), LeakDetection.leaksDetected(),
                lastShutdown);
    }

    /**
     * What the endpoint describes. Immutable and thread-safe.
     *
     * @param phases the phases of the drop plan, in drop order (highest first)
     * @param resources the resources of the drop plan
     * @param liveGuards the guards created in this JVM and not yet dropped
     * @param leaks the guards found unreachable without having been dropped, since the JVM started
     * @param lastShutdown the summary of the previous run's shutdown, or {@code null} when none was kept
     * @since 0.1.0
     */
    public record AsyncDropDescriptor(List<PhaseDescriptor> phases, List<ResourceDescriptor> resources,
            long liveGuards, long leaks, @Nullable ShutdownSummary lastShutdown) {

        /** Copies the lists. */
        public AsyncDropDescriptor {
            phases = List.copyOf(phases);
            resources = List.copyOf(resources);
        }
    }

    /**
     * A phase of the drop plan. Immutable and thread-safe.
     *
     * @param phase the phase number, which is also the {@code SmartLifecycle} phase it drops in
     * @param timeout how long the phase may take before the drops still running time out
     * @since 0.1.0
     */
    public record PhaseDescriptor(int phase, Duration timeout) {
    }

    /**
     * A resource of the drop plan. Immutable and thread-safe.
     *
     * @param name its name, the bean's name
     * @param type the class name of the resource, without the proxy class a framework may have generated
     * @param phase its phase
     * @param timeout its own timeout, or {@code null} when only its phase's timeout applies
     * @param dependsOn the resources it uses, dropped after it
     * @param dependents the resources that use it, dropped before it
     * @since 0.1.0
     */
    public record ResourceDescriptor(String name, String type, int phase, @Nullable Duration timeout,
            List<String> dependsOn, List<String> dependents) {

        /** Copies the lists. */
        public ResourceDescriptor {
            dependsOn = List.copyOf(dependsOn);
            dependents = List.copyOf(dependents);
        }

        static ResourceDescriptor of(PlannedResource resource) {
            return new ResourceDescriptor(resource.name(), typeOf(resource), resource.phase(),
                    resource.timeout().orElse(null), resource.dependsOn(), resource.dependents());
        }

        /** The bean's own type, also for an executor or a pool that an adapter drops. */
        private static String typeOf(PlannedResource resource) {
            return AdaptedBean.typeOf(resource.resource()).getName();
        }
    }
}
