package dev.asyncdrop.micrometer;

import java.util.Objects;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;

/**
 * The context of the {@value DropObservations#PHASE} observation of one phase of a plan, the parent of the
 * observations of its drops. The outcome is set when the phase has ended. Not thread-safe: an observation's context is
 * filled by the one observation it belongs to, start before stop.
 *
 * @since 0.1.0
 * @see DropPhaseObservationConvention
 */
public class DropPhaseContext extends Observation.Context {

    private final int phase;

    private @Nullable DropOutcome outcome;

    /**
     * Creates the context of a phase.
     * @param phase the phase number
     */
    public DropPhaseContext(int phase) {
        this.phase = phase;
    }

    /** @return the phase number */
    public int getPhase() {
        return this.phase;
    }

    /** @return how the phase ended, or {@code null} while it runs */
    public @Nullable DropOutcome getOutcome() {
        return this.outcome;
    }

    /** @param outcome how the phase ended */
    public void setOutcome(DropOutcome outcome) {
        this.outcome = Objects.requireNonNull(outcome, "'outcome' must not be null");
    }
}
