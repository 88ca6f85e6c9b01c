package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.Failures;

/**
 * What happened to one resource during a {@link DropPlan} execution. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class DropRecord {

    private final String name;
    private final int phase;
    private final DropOutcome outcome;
    private final Duration startOffset;
    private final Duration duration;
    private final @Nullable Throwable failure;

    /**
     * Creates a record.
     * @param name the resource's name in its plan
     * @param phase the resource's phase
     * @param outcome how the drop ended
     * @param startOffset when the drop started, relative to the start of the execution; for a skipped resource,
     * when it was skipped
     * @param duration how long the drop ran until it finished or the coordinator stopped waiting; zero when skipped
     * @param failure the failure of a {@link DropOutcome#FAILED} drop, or {@code null}
     */
    public DropRecord(String name, int phase, DropOutcome outcome, Duration startOffset, Duration duration,
            @Nullable Throwable failure) {
        this.name = Objects.requireNonNull(name, "'name' must not be null");
        this.phase = phase;
        this.outcome = Objects.requireNonNull(outcome, "'outcome' must not be null");
        this.startOffset = Objects.requireNonNull(startOffset, "'startOffset' must not be null");
        this.duration = Objects.requireNonNull(duration, "'duration' must not be null");
        this.failure = failure;
    }

    /** @return the resource's name in its plan */
    public String name() {
        return name;
    }

    /** @return the resource's phase */
    public int phase() {
        return phase;
    }

    /** @return how the drop ended */
    public DropOutcome outcome() {
        return outcome;
    }

    /** @return when the drop started, relative to the start of the execution */
    public Duration startOffset() {
        return startOffset;
    }

    /** @return how long the drop ran until it finished or the coordinator stopped waiting */
    public Duration duration() {
        return duration;
    }

    /** @return when the drop finished, relative to the start of the execution */
    public Duration endOffset() {
        return startOffset.plus(duration);
    }

    /** @return the failure of a {@link DropOutcome#FAILED} drop */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return name + " [phase " + phase + "] " + outcome + " at +" + startOffset.toMillis() + " ms for "
                + duration.toMillis() + " ms" + (failure != null ? ": " + Failures.describe(failure) : "");
    }
}
