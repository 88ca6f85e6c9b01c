package dev.asyncdrop.micrometer;

import java.util.Objects;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;

/**
 * The context of the {@value DropObservations#DROP} observation of one drop: a resource of a plan, known by its name
 * and phase, or a guard dropped at run time, known by the type of its resource. The outcome is set when the drop has
 * ended; a failure is the observation's error. Not thread-safe: an observation's context is filled by the one
 * observation it belongs to, start before stop.
 *
 * @since 0.1.0
 * @see DropObservationConvention
 */
public class DropContext extends Observation.Context {

    private final String resource;

    private final @Nullable Integer phase;

    private final @Nullable Class<?> resourceType;

    private @Nullable DropOutcome outcome;

    private DropContext(String resource, @Nullable Integer phase, @Nullable Class<?> resourceType) {
        this.resource = resource;
        this.phase = phase;
        this.resourceType = resourceType;
    }

    /**
     * The context of the drop of a plan's resource.
     * @param name the resource's name in its plan
     * @param phase its phase
     * @return the context
     */
    public static DropContext ofPlanned(String name, int phase) {
        return new DropContext(Objects.requireNonNull(name, "'name' must not be null"), phase, null);
    }

    /**
     * The context of the drop of a guard at run time.
     * @param resourceType the class of the guarded resource
     * @return the context
     */
    public static DropContext ofGuard(Class<?> resourceType) {
        Objects.requireNonNull(resourceType, "'resourceType' must not be null");
        return new DropContext(TagValues.type(resourceType), null, resourceType);
    }

    /**
     * @return the resource: its name in its plan, or for a guard dropped at run time the simple name of its type (a
     * bounded value, see {@link TagValues#type(Class)})
     */
    public String getResource() {
        return this.resource;
    }

    /** @return the resource's phase, or {@code null} for a guard dropped at run time, which has none */
    public @Nullable Integer getPhase() {
        return this.phase;
    }

    /** @return the class of a guard's resource, or {@code null} for a resource of a plan */
    public @Nullable Class<?> getResourceType() {
        return this.resourceType;
    }

    /** @return how the drop ended, or {@code null} while it runs */
    public @Nullable DropOutcome getOutcome() {
        return this.outcome;
    }

    /** @param outcome how the drop ended */
    public void setOutcome(DropOutcome outcome) {
        this.outcome = Objects.requireNonNull(outcome, "'outcome' must not be null");
    }
}
