package dev.asyncdrop.spring;

import java.util.Optional;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;

/**
 * Drops the async-droppable beans of an application context when it closes, and describes what it planned and
 * what happened, for example to an actuator endpoint. The auto-configuration provides the bean; defining a bean of
 * this type makes it back off entirely. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface BeanDropCoordinator {

    /**
     * The plan of the context's drops: every droppable singleton with its phase, timeout, dependencies and
     * dependents.
     * @return the plan, empty until the context has instantiated its singletons (and, after a failed refresh,
     * until the beans created so far are dropped)
     */
    Optional<DropPlan> plan();

    /**
     * The report of the drops made so far by this context: empty while it runs, growing phase by phase while it
     * closes, complete once the last drop phase has completed.
     * @return the report of the phases dropped so far, or empty if none was
     */
    Optional<DropReport> lastReport();

    /**
     * The longest the context's shutdown can take, phase by phase, with the budget it must fit, as computed when the
     * drops were planned.
     * @return the worst case, empty until the drops are planned (and for coordinators that do not compute it)
     */
    default Optional<ShutdownWorstCase> worstCase() {
        return Optional.empty();
    }
}
