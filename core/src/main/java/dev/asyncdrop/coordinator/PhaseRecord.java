package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.Objects;

/**
 * What happened to one phase of a {@link DropPlan} execution. Immutable and thread-safe.
 *
 * @param phase the phase
 * @param outcome {@link DropOutcome#DROPPED} when every resource of the phase dropped, {@link DropOutcome#TIMED_OUT}
 * when the phase's deadline passed or any resource timed out or was skipped, otherwise {@link DropOutcome#FAILED}
 * when any resource failed
 * @param startOffset when the phase started, relative to the start of the plan's first execution
 * @param duration how long the phase took
 * @since 0.1.0
 */
public record PhaseRecord(int phase, DropOutcome outcome, Duration startOffset, Duration duration) {

    /**
     * Checks the components.
     * @param phase the phase
     * @param outcome how the phase ended
     * @param startOffset when it started
     * @param duration how long it took
     */
    public PhaseRecord {
        Objects.requireNonNull(outcome, "'outcome' must not be null");
        Objects.requireNonNull(startOffset, "'startOffset' must not be null");
        Objects.requireNonNull(duration, "'duration' must not be null");
    }

    /** @return when the phase completed, relative to the start of the plan's first execution */
    public Duration endOffset() {
        return startOffset.plus(duration);
    }
}
