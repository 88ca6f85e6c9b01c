package dev.asyncdrop.micrometer;

import java.util.Objects;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import dev.asyncdrop.micrometer.DropObservationDocumentation.DropPhaseKeyNames;

/**
 * The default names and key values of the observation of a phase: name {@value DropObservations#PHASE}, contextual
 * name {@code drop phase <phase>}, and the low cardinality keys {@code phase} and, once the phase has ended,
 * {@code outcome} (see {@link DropObservationDocumentation}). Thread-safe.
 *
 * @since 0.1.0
 */
public class DefaultDropPhaseObservationConvention implements DropPhaseObservationConvention {

    private static final DefaultDropPhaseObservationConvention INSTANCE = new DefaultDropPhaseObservationConvention();

    /** @return the shared instance */
    public static DefaultDropPhaseObservationConvention getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return DropObservations.PHASE;
    }

    @Override
    public String getContextualName(DropPhaseContext context) {
        return "drop phase " + context.getPhase();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(DropPhaseContext context) {
        KeyValue phase = KeyValue.of(DropPhaseKeyNames.PHASE, String.valueOf(context.getPhase()));
        if (context.getOutcome() == null) {
            return KeyValues.of(phase);
        }
        String outcome = TagValues.outcome(Objects.requireNonNull(context.getOutcome()));
        return KeyValues.of(phase, KeyValue.of(DropPhaseKeyNames.OUTCOME, outcome));
    }
}
