package dev.asyncdrop.internal;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The one place for the checks and conversions of timeouts, so that every timeout is rejected with the same words
 * and turned into nanoseconds the same way. Thread-safe: stateless.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * @param duration a timeout
     * @param parameter the parameter's name, quoted in the message
     * @return the timeout
     * @throws NullPointerException if it is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration requirePositive(@Nullable Duration duration, String parameter) {
        return requirePositive(duration, parameter, "");
    }

    /**
     * @param duration a timeout
     * @param parameter the parameter's name, quoted in the message
     * @param owner what the timeout belongs to, such as {@code " of phase 100"}, or empty
     * @return the timeout
     * @throws NullPointerException if it is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration requirePositive(@Nullable Duration duration, String parameter, String owner) {
        Objects.requireNonNull(duration, () -> "'" + parameter + "'" + owner + " must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("'" + parameter + "'" + owner + " must be positive, but was "
                    + duration);
        }
        return duration;
    }

    /**
     * @param duration a duration
     * @return its nanoseconds, or {@link Long#MAX_VALUE} for a duration too long to count in nanoseconds (such as
     * {@code ChronoUnit.FOREVER}), which the scheduler takes as "never"
     */
    public static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }
}
