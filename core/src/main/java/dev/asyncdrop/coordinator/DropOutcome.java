package dev.asyncdrop.coordinator;

/**
 * How the drop of one resource ended. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum DropOutcome {

    /** The drop completed normally. */
    DROPPED,

    /** The drop completed exceptionally, or {@code asyncDrop()} threw or returned {@code null}. */
    FAILED,

    /** The coordinator stopped waiting: the resource's own timeout or its phase's deadline passed first. */
    TIMED_OUT,

    /** The drop never started: its phase's deadline passed while it still waited for its dependents. */
    SKIPPED
}
