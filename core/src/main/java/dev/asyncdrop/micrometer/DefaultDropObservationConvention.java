package dev.asyncdrop.micrometer;

import java.util.Objects;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import dev.asyncdrop.micrometer.DropObservationDocumentation.DropKeyNames;

/**
 * The default names and key values of the observation of a drop: name {@value DropObservations#DROP}, contextual
 * name {@code drop <resource>}, and the low cardinality keys {@code resource}, {@code phase}, and once the drop has
 * ended {@code outcome} and {@code exception} (see {@link DropObservationDocumentation}). A long task timer made
 * from the observation while the drop runs thus carries only the first two. Thread-safe.
 *
 * @since 0.1.0
 */
public class DefaultDropObservationConvention implements DropObservationConvention {

    private static final DefaultDropObservationConvention INSTANCE = new DefaultDropObservationConvention();

    /** @return the shared instance */
    public static DefaultDropObservationConvention getInstance() {
        return INSTANCE;
    }

    @Override
    public String getName() {
        return DropObservations.DROP;
    }

    @Override
    public String getContextualName(DropContext context) {
        return "drop " + context.getResource();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(DropContext context) {
        KeyValues keyValues = KeyValues.of(resource(context), phase(context));
        if (context.getOutcome() == null) {
            return keyValues;
        }
        return keyValues.and(outcome(context), exception(context));
    }

    /**
     * @param context the context
     * @return the resource's name, or its type's simple name for a runtime guard
     */
    protected KeyValue resource(DropContext context) {
        return KeyValue.of(DropKeyNames.RESOURCE, context.getResource());
    }

    /**
     * @param context the context
     * @return the resource's phase, or {@code none} for a runtime guard
     */
    protected KeyValue phase(DropContext context) {
        Integer phase = context.getPhase();
        return KeyValue.of(DropKeyNames.PHASE, (phase != null) ? String.valueOf(phase) : TagValues.NONE);
    }

    /**
     * @param context the context of a drop that ended
     * @return its outcome
     */
    protected KeyValue outcome(DropContext context) {
        return KeyValue.of(DropKeyNames.OUTCOME, TagValues.outcome(Objects.requireNonNull(context.getOutcome())));
    }

    /**
     * @param context the context of a drop that ended
     * @return the simple name of its failure's type, or {@code none}
     */
    protected KeyValue exception(DropContext context) {
        return KeyValue.of(DropKeyNames.EXCEPTION, TagValues.exception(context.getError()));
    }
}
