package dev.asyncdrop.coordinator;

/**
 * How the drop of one resource ended. Each outcome has one word (or two) for logs and reports, {@link #label()}, so
 * that "dropped" always means {@link #DROPPED} and never "finished". Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public enum DropOutcome {

    /** The drop completed normally. */
    DROPPED("dropped"),

    /** The drop completed exceptionally, or {@code asyncDrop()} threw or returned {@code null}. */
    FAILED("failed"),

    /** The coordinator stopped waiting: the resource's own timeout or its phase's deadline passed first. */
    TIMED_OUT("timed out"),

    /** The drop never started: its phase's deadline passed while it still waited for its dependents. */
    SKIPPED("skipped");

    private final String label;

    DropOutcome(String label) {
        this.label = label;
    }

    /**
     * The outcome in words for people: {@code dropped}, {@code failed}, {@code timed out} or {@code skipped}. Logs
     * and reports use these words and no others for outcomes (metric tags have their own bounded values).
     * @return the outcome's words, lower case
     * @since 0.1.0
     */
    public String label() {
        return this.label;
    }
}
