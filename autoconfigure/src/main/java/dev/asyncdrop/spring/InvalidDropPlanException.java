package dev.asyncdrop.spring;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDropException;

/**
 * Thrown when the async-droppable beans of an application context cannot be planned: their dependencies form a
 * cycle, a bean depends on a bean of a higher drop phase, or the {@code async-drop.*} configuration names a bean
 * that is not dropped. Thrown while the context starts, so that the application fails to start rather than fail to
 * shut down; a failure analyzer then prints its message and its {@link #getAction() action}. Immutable.
 *
 * @since 0.1.0
 */
public class InvalidDropPlanException extends AsyncDropException {

    private static final long serialVersionUID = 1L;

    private final String action;

    /**
     * Creates an exception.
     * @param message what is wrong, naming the beans and the properties involved
     * @param action what to change so that the plan becomes valid
     * @param cause the failure that revealed the problem, or {@code null}
     */
    public InvalidDropPlanException(String message, String action, @Nullable Throwable cause) {
        super(message, cause);
        this.action = Objects.requireNonNull(action, "'action' must not be null");
    }

    /** @return what to change so that the plan becomes valid */
    public String getAction() {
        return action;
    }
}
