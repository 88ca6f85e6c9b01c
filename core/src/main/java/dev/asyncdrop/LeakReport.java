package dev.asyncdrop;

import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What leaked: the type and description of a resource whose {@link AsyncDropGuard} became unreachable without
 * being dropped, and the stack that created the guard where it was recorded.
 * <p>
 * Immutable and thread-safe. Holds no reference to the leaked resource itself.
 *
 * @since 0.1.0
 */
public final class LeakReport {

    private final Class<?> resourceType;

    private final String description;

    private final StackTraceElement @Nullable [] creationStack;

    /**
     * Creates a report.
     * @param resourceType the class of the leaked resource
     * @param description the resource's {@code toString()}, captured when its guard was created
     * @param creationStack the stack that created the guard, or {@code null} if it was not recorded
     */
    public LeakReport(Class<?> resourceType, String description, StackTraceElement @Nullable [] creationStack) {
        this.resourceType = Objects.requireNonNull(resourceType, "'resourceType' must not be null");
        this.description = Objects.requireNonNull(description, "'description' must not be null");
        this.creationStack = (creationStack != null) ? creationStack.clone() : null;
    }

    /** @return the class of the leaked resource */
    public Class<?> resourceType() {
        return this.resourceType;
    }

    /** @return the resource's {@code toString()}, captured when its guard was created */
    public String description() {
        return this.description;
    }

    /** @return a copy of the stack that created the guard, innermost frame first, if it was recorded */
    public Optional<StackTraceElement[]> creationStack() {
        return (this.creationStack != null) ? Optional.of(this.creationStack.clone()) : Optional.empty();
    }

    /** @return a message for a log: what leaked, how to fix it, and where the guard was created */
    @Override
    public String toString() {
        StringBuilder message = new StringBuilder(256)
                .append("LEAK: an AsyncDropGuard of ").append(this.resourceType.getName())
                .append(" (").append(this.description).append(')')
                .append(" was garbage-collected without being dropped, so its asynchronous cleanup never ran. ")
                .append("Drop the guard with asyncDrop() or close(), or pass it to AsyncDrop.using.");
        if (this.creationStack == null) {
            message.append(" Creation stack not recorded; set the system property ")
                    .append(LeakDetection.LEVEL_PROPERTY).append("=PARANOID to record it.");
        }
        else {
            message.append(" The guard was created at:");
            for (StackTraceElement frame : this.creationStack) {
                message.append(System.lineSeparator()).append("\tat ").append(frame);
            }
        }
        return message.toString();
    }
}
