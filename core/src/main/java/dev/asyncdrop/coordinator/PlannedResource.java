package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.asyncdrop.AsyncDroppable;

/**
 * One resource of a {@link DropPlan}, as planned: for descriptions such as the actuator endpoint. Immutable and
 * thread-safe.
 *
 * @param name its unique name
 * @param resource the resource
 * @param phase its phase
 * @param timeout its own timeout, if it has one
 * @param dependsOn the resources it uses, dropped after it
 * @param dependents the resources that use it, dropped before it
 * @since 0.1.0
 */
public record PlannedResource(String name, AsyncDroppable resource, int phase, Optional<Duration> timeout,
        List<String> dependsOn, List<String> dependents) {
}
