package dev.asyncdrop.spring;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The longest an application context's shutdown can take, phase by phase: Spring stops lifecycle phases one after
 * another, highest first, and waits for each at most its timeout, so the worst case is the sum of the timeouts of
 * the phases that have something to wait for (the web server's graceful shutdown, the drop phases, executors and
 * other {@code SmartLifecycle} beans). Computed at startup, when the drops are planned. Immutable and thread-safe.
 *
 * @param phases the phases Spring waits for at shutdown, highest (stopped first) first
 * @param budget the shutdown's budget ({@code async-drop.shutdown-budget}), or {@code null} when none is set
 * @since 0.1.0
 */
public record ShutdownWorstCase(List<PhaseWait> phases, @Nullable Duration budget) {

    /** Copies the list. */
    public ShutdownWorstCase {
        phases = List.copyOf(phases);
    }

    /** @return the sum of the phases' timeouts: the longest the lifecycle shutdown can take */
    public Duration total() {
        return phases.stream().map(PhaseWait::timeout).reduce(Duration.ZERO, Duration::plus);
    }

    /** @return whether a budget is set and the worst case exceeds it */
    public boolean exceedsBudget() {
        return budget != null && total().compareTo(budget) > 0;
    }

    /**
     * A phase Spring waits for at shutdown.
     *
     * @param phase the lifecycle phase
     * @param timeout how long Spring waits for it at most; for a drop phase, its timeout and a margin for its log and
     * report
     * @param property the property that sets the timeout
     * @param droppables how many beans are dropped in it (0 for a phase without drops)
     * @param lifecycleBeans the names of the other {@code SmartLifecycle} beans it stops
     * @since 0.1.0
     */
    public record PhaseWait(int phase, Duration timeout, String property, int droppables,
            List<String> lifecycleBeans) {

        /** Checks the values and copies the list. */
        public PhaseWait {
            Objects.requireNonNull(timeout, "'timeout' must not be null");
            Objects.requireNonNull(property, "'property' must not be null");
            lifecycleBeans = List.copyOf(lifecycleBeans);
        }
    }
}
