package dev.asyncdrop.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and key values of the observation of a phase. Implement it, or extend
 * {@link DefaultDropPhaseObservationConvention}, and hand it to {@link DropObservations} (in a Spring application:
 * define a bean of this type) to change them. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface DropPhaseObservationConvention extends ObservationConvention<DropPhaseContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof DropPhaseContext;
    }
}
