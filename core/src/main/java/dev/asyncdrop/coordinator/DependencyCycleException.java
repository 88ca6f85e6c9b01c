package dev.asyncdrop.coordinator;

import java.util.List;

import dev.asyncdrop.AsyncDropException;

/**
 * Thrown when the dependencies given to a {@link DropPlan.Builder} form a cycle, so no drop order exists. Its
 * {@link #cycle()} is an immutable list, so it may be read from any thread.
 *
 * @since 0.1.0
 */
public class DependencyCycleException extends AsyncDropException {

    private static final long serialVersionUID = 1L;

    /** The resources on the cycle, the first repeated at the end. */
    private final List<String> cycle;

    /**
     * Creates an exception for a cycle.
     * @param cycle the resources on the cycle, in dependency order, the first repeated at the end
     */
    public DependencyCycleException(List<String> cycle) {
        super("Resources " + String.join(" -> ", cycle) + " depend on each other in a cycle, so none of them can be "
                + "dropped first. Remove one of these dependencies.");
        this.cycle = List.copyOf(cycle);
    }

    /** @return the resources on the cycle, in dependency order, the first repeated at the end: {@code a, b, c, a} */
    public List<String> cycle() {
        return cycle;
    }
}
