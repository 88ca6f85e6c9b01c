package dev.asyncdrop.sample;

import org.jspecify.annotations.Nullable;

/**
 * Thrown, as the failure of the {@link EventBuffer}'s drop, when the buffer gave up before every event it acknowledged
 * was persisted: its drop timed out, or the database failed. The counts are exact: once the buffer gives up, nothing
 * more is committed.
 * <p>
 * Immutable, so thread-safe.
 *
 * @since 0.1.0
 */
public final class EventsNotPersistedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final long acknowledged;

    private final long persisted;

    EventsNotPersistedException(long acknowledged, long persisted, @Nullable Throwable cause) {
        super("Gave up with " + (acknowledged - persisted) + " acknowledged events not persisted (" + acknowledged
                + " acknowledged, " + persisted + " persisted)", cause);
        this.acknowledged = acknowledged;
        this.persisted = persisted;
    }

    /**
     * The events acknowledged and never persisted.
     * @return the number of events lost
     */
    public long notPersisted() {
        return this.acknowledged - this.persisted;
    }

    /**
     * The events the buffer acknowledged in its lifetime.
     * @return the number of events acknowledged
     */
    public long acknowledged() {
        return this.acknowledged;
    }

    /**
     * The events committed to the database in the buffer's lifetime.
     * @return the number of events persisted
     */
    public long persisted() {
        return this.persisted;
    }
}
