package dev.asyncdrop.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.ShutdownWorstCase;
import dev.asyncdrop.spring.internal.AdaptedBean;
import dev.asyncdrop.spring.report.ShutdownSummary;

/**
 * The {@code asyncdrop} endpoint, read-only: the drop plan of the application context (phases with their timeouts,
 * resources with their type, phase, timeout, dependencies and dependents), the guards alive in this JVM, the leaks
 * detected so far, the summary of the previous run's shutdown when a report of it was kept, the shutdown's worst
 * case with its budget, and a forecast of the next shutdown from the last one's durations. Its body is an
 * {@link OperationResponseBody}, written by the actuator's own JSON mapper, so the application's Jackson settings
 * (a naming strategy, say) do not change it. Thread-safe.
 *
 * @since 0.1.0
 */
@Endpoint(id = "asyncdrop")
public class AsyncDropEndpoint {

    private final Supplier<Optional<DropPlan>> plan;

    private final Supplier<Optional<ShutdownWorstCase>> worstCase;

    private final @Nullable ShutdownSummary lastShutdown;

    /**
     * Creates the endpoint without a worst case.
     * @param plan gives the plan the context drops at shutdown, empty while there is none
     * @param lastShutdown the summary of the previous run's shutdown, or {@code null} when none was kept
     */
    public AsyncDropEndpoint(Supplier<Optional<DropPlan>> plan, @Nullable ShutdownSummary lastShutdown) {
        this(plan, Optional::empty, lastShutdown);
    }

    /**
     * Creates the endpoint.
     * @param plan gives the plan the context drops at shutdown, empty while there is none
     * @param worstCase gives the worst case of the shutdown, empty while the drops are not planned
     * @param lastShutdown the summary of the previous run's shutdown, or {@code null} when none was kept
     */
    public AsyncDropEndpoint(Supplier<Optional<DropPlan>> plan, Supplier<Optional<ShutdownWorstCase>> worstCase,
            @Nullable ShutdownSummary lastShutdown) {
        this.plan = Objects.requireNonNull(plan, "'plan' must not be null");
        this.worstCase = Objects.requireNonNull(worstCase, "'worstCase' must not be null");
        this.lastShutdown = lastShutdown;
    }

    /** @return a description of the drops, guards and leaks of the application, and of its shutdown */
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
        ShutdownDescriptor shutdown = worstCase.get().map(ShutdownDescriptor::of).orElse(null);
        ShutdownSummary last = lastShutdown;
        ForecastDescriptor forecast = (last != null)
                ? current.map((dropPlan) -> ShutdownForecast.of(dropPlan, last)).orElse(null) : null;
        return new AsyncDropDescriptor(phases, resources, LeakDetection.liveGuards(), LeakDetection.leaksDetected(),
                last, shutdown, forecast);
    }

    /**
     * What the endpoint describes; absent parts are left out of its JSON. Immutable and thread-safe.
     *
     * @param phases the phases of the drop plan, in drop order (highest first)
     * @param resources the resources of the drop plan
     * @param liveGuards the guards created in this JVM and not yet dropped
     * @param leaks the guards found unreachable without having been dropped, since the JVM started
     * @param lastShutdown the summary of the previous run's shutdown, or {@code null} when none was kept
     * @param shutdown the worst case of the shutdown and its budget, or {@code null} while the drops are not planned
     * @param forecast the next shutdown as the last one's durations predict it, or {@code null} without them
     * @since 0.1.0
     */
    public record AsyncDropDescriptor(List<PhaseDescriptor> phases, List<ResourceDescriptor> resources,
            long liveGuards, long leaks, @Nullable ShutdownSummary lastShutdown, @Nullable ShutdownDescriptor shutdown,
            @Nullable ForecastDescriptor forecast) implements OperationResponseBody {

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
            return new ResourceDescriptor(resource.name(), type(resource), resource.phase(),
                    resource.timeout().orElse(null), resource.dependsOn(), resource.dependents());
        }

        /** The one place that says what type a resource is: the bean's own, also for a pool an adapter drops. */
        private static String type(PlannedResource resource) {
            return AdaptedBean.typeOf(resource.resource()).getName();
        }
    }

    /**
     * The longest the shutdown can take, and the budget it must fit. Immutable and thread-safe.
     *
     * @param budget the budget ({@code async-drop.shutdown-budget}), or {@code null} when none is set
     * @param worstCase the sum of the timeouts of the phases Spring waits for at shutdown
     * @param phases those phases, highest (stopped first) first
     * @since 0.1.0
     */
    public record ShutdownDescriptor(@Nullable Duration budget, Duration worstCase,
            List<ShutdownWorstCase.PhaseWait> phases) {

        /** Copies the list. */
        public ShutdownDescriptor {
            phases = List.copyOf(phases);
        }

        static ShutdownDescriptor of(ShutdownWorstCase worstCase) {
            return new ShutdownDescriptor(worstCase.budget(), worstCase.total(), worstCase.phases());
        }
    }

    /**
     * The next shutdown as the last one's durations predict it: each resource taking as long as its drop took last
     * time, each phase as long as its critical path. Immutable and thread-safe.
     *
     * @param makespan the sum of the phases' makespans
     * @param criticalPath the resources of each phase's critical path, in drop order
     * @param phases each phase's forecast, in drop order
     * @param withoutHistory the resources of today's plan whose drop the last shutdown did not measure (new ones,
     * renamed ones, skipped ones): counted as taking no time
     * @param basedOn when the last shutdown ended
     * @since 0.1.0
     */
    public record ForecastDescriptor(Duration makespan, List<String> criticalPath,
            List<PhaseForecastDescriptor> phases, List<String> withoutHistory, Instant basedOn) {

        /** Copies the lists. */
        public ForecastDescriptor {
            criticalPath = List.copyOf(criticalPath);
            phases = List.copyOf(phases);
            withoutHistory = List.copyOf(withoutHistory);
        }
    }

    /**
     * One phase of the forecast. Immutable and thread-safe.
     *
     * @param phase the phase
     * @param makespan how long the phase is expected to take: its critical path
     * @param criticalPath the resources of its critical path, in drop order
     * @since 0.1.0
     */
    public record PhaseForecastDescriptor(int phase, Duration makespan, List<String> criticalPath) {

        /** Copies the list. */
        public PhaseForecastDescriptor {
            criticalPath = List.copyOf(criticalPath);
        }
    }
}
