package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.convert.DurationStyle;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * The log lines of a context's drops, under the logger of {@link BeanDropCoordinator}: one INFO line per phase, a
 * WARN line for each bean that failed, timed out or was skipped, DEBUG for the rest. Thread-safe.
 */
final class DropLog {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    /** The most bean names on a phase's line, to keep it readable. */
    private static final int LOGGED_NAMES = 20;

    private DropLog() {
    }

    /**
     * Logs what happened in a phase.
     * @param phase the phase
     * @param report the phase's report
     */
    static void phaseDropped(int phase, DropReport report) {
        for (DropRecord record : report.records()) {
            long millis = record.duration().toMillis();
            switch (record.outcome()) {
                case FAILED -> logger.warn("Bean '" + record.name() + "' failed to drop after " + millis + " ms",
                        record.failure().orElse(null));
                case TIMED_OUT -> logger.warn("Gave up waiting for bean '" + record.name() + "' to drop after "
                        + millis + " ms and called its onDropTimeout()");
                case SKIPPED -> logger.warn("Skipped bean '" + record.name() + "': phase " + phase
                        + " timed out while it waited for the beans that use it");
                case DROPPED -> {
                    if (logger.isDebugEnabled()) {
                        logger.debug("Dropped bean '" + record.name() + "' in " + millis + " ms");
                    }
                }
            }
        }
        int count = report.records().size();
        // One word per outcome, the report's own: "dropped" means DROPPED and nothing else.
        String outcomes = Arrays.stream(DropOutcome.values())
                .filter(outcome -> report.count(outcome) > 0)
                .map(outcome -> report.count(outcome) + " " + outcome.label())
                .collect(Collectors.joining(", "));
        logger.info(String.format("Drop phase %d ended in %d ms: %d bean%s, %s: %s", phase,
                report.makespan().toMillis(), count, (count != 1) ? "s" : "", outcomes, names(report.records())));
    }

    private static String names(List<DropRecord> records) {
        String names = records.stream().limit(LOGGED_NAMES).map(DropRecord::name).collect(Collectors.joining(", "));
        int more = records.size() - LOGGED_NAMES;
        return (more > 0) ? names + " and " + more + " more" : names;
    }

    /**
     * @param duration a duration
     * @return the duration as a property value: {@code 20s}, {@code 500ms}
     */
    static String print(Duration duration) {
        boolean wholeSeconds = duration.toMillis() % 1000 == 0;
        return DurationStyle.SIMPLE.print(duration, wholeSeconds ? ChronoUnit.SECONDS : ChronoUnit.MILLIS);
    }
}
