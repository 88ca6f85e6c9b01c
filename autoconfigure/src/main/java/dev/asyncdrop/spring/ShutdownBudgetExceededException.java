package dev.asyncdrop.spring;

import java.util.Objects;

import dev.asyncdrop.AsyncDropException;

/**
 * Thrown when the worst case of an application context's shutdown exceeds {@code async-drop.shutdown-budget}: the
 * platform (Kubernetes, after {@code terminationGracePeriodSeconds}) could kill the process before its drops end.
 * Thrown while the context starts, so that the application fails to start rather than lose its drops at shutdown;
 * a failure analyzer then prints its message, which names the phases, and its {@link #getAction() action}, which
 * names the properties to change. Immutable.
 *
 * @since 0.1.0
 */
public class ShutdownBudgetExceededException extends AsyncDropException {

    private static final long serialVersionUID = 1L;

    private final String action;

    private final transient ShutdownWorstCase worstCase;

    /**
     * Creates an exception.
     * @param message what exceeds the budget, phase by phase
     * @param action which properties to change
     * @param worstCase the worst case, which exceeds its budget
     */
    public ShutdownBudgetExceededException(String message, String action, ShutdownWorstCase worstCase) {
        super(message);
        this.action = Objects.requireNonNull(action, "'action' must not be null");
        this.worstCase = Objects.requireNonNull(worstCase, "'worstCase' must not be null");
    }

    /** @return which properties to change so that the shutdown fits its budget */
    public String getAction() {
        return action;
    }

    /** @return the worst case, phase by phase, with its budget */
    public ShutdownWorstCase getWorstCase() {
        return worstCase;
    }
}
