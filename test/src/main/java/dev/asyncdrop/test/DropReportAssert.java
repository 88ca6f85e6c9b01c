package dev.asyncdrop.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;

/**
 * AssertJ assertions on a {@link DropReport}; get one from {@link DropAssertions#assertThat(DropReport)}. A failure
 * says what was expected and what the report holds, then shows the report's text with its timeline. A resource name
 * that is not in the report fails with the names that are.
 * <p>
 * Not thread-safe, like every AssertJ assertion: use it from one thread. The report itself is immutable.
 *
 * @since 0.1.0
 */
public final class DropReportAssert extends AbstractAssert<DropReportAssert, DropReport> {

    private static final String NL = System.lineSeparator();

    private static final Set<DropOutcome> FAILURES = EnumSet.of(DropOutcome.FAILED, DropOutcome.TIMED_OUT,
            DropOutcome.SKIPPED);

    DropReportAssert(@Nullable DropReport actual) {
        super(actual, DropReportAssert.class);
    }

    /**
     * Verifies that no resource failed, timed out or was skipped.
     * @return this assertion
     */
    public DropReportAssert hasNoFailures() {
        DropReport report = report();
        List<String> failures = new ArrayList<>();
        for (DropRecord record : report.records()) {
            if (FAILURES.contains(record.outcome())) {
                failures.add(describe(record));
            }
        }
        if (!failures.isEmpty()) {
            throw failure(report, "Expected no drop to fail, time out or be skipped, but " + failures.size() + " did:"
                    + NL + "  " + String.join(NL + "  ", failures));
        }
        return this;
    }

    /**
     * Verifies that each of these resources was {@link DropOutcome#DROPPED}.
     * @param names names of resources in the report
     * @return this assertion
     */
    public DropReportAssert dropped(String... names) {
        Objects.requireNonNull(names, "'names' must not be null");
        if (names.length == 0) {
            throw new IllegalArgumentException("'names' must not be empty: name the resources expected to be dropped");
        }
        DropReport report = report();
        List<String> notDropped = new ArrayList<>();
        for (String name : names) {
            DropRecord record = record(report, name);
            if (record.outcome() != DropOutcome.DROPPED) {
                notDropped.add(describe(record));
            }
        }
        if (!notDropped.isEmpty()) {
            throw failure(report, "Expected " + List.of(names) + " to be DROPPED, but:" + NL + "  "
                    + String.join(NL + "  ", notDropped));
        }
        return this;
    }

    /**
     * Verifies that one resource finished dropping before another started, as when the first depends on the
     * second. Neither may have been skipped; either may have failed or timed out, which also finishes a drop.
     * @param first the resource expected to finish first
     * @param second the resource expected to start only after {@code first} finished
     * @return this assertion
     */
    public DropReportAssert droppedBefore(String first, String second) {
        Objects.requireNonNull(first, "'first' must not be null");
        Objects.requireNonNull(second, "'second' must not be null");
        if (first.equals(second)) {
            throw new IllegalArgumentException("'first' and 'second' must name two resources, but both are '"
                    + first + "'");
        }
        DropReport report = report();
        DropRecord earlier = record(report, first);
        DropRecord later = record(report, second);
        String expectation = "Expected " + first + " to finish dropping before " + second + " started, but ";
        for (DropRecord record : List.of(earlier, later)) {
            if (record.outcome() == DropOutcome.SKIPPED) {
                throw failure(report, expectation + record.name() + " was SKIPPED: it never started dropping");
            }
        }
        if (earlier.endOffset().compareTo(later.startOffset()) > 0) {
            throw failure(report, expectation + first + " finished at " + millis(earlier.endOffset()) + " and " + second
                    + " started at " + millis(later.startOffset()));
        }
        return this;
    }

    /**
     * Verifies the outcome of one resource.
     * @param name the name of a resource in the report
     * @param outcome the expected outcome
     * @return this assertion
     */
    public DropReportAssert hasOutcome(String name, DropOutcome outcome) {
        Objects.requireNonNull(outcome, "'outcome' must not be null");
        DropReport report = report();
        DropRecord record = record(report, Objects.requireNonNull(name, "'name' must not be null"));
        if (record.outcome() != outcome) {
            throw failure(report, "Expected " + name + " to be " + outcome + ", but " + describe(record));
        }
        return this;
    }

    /**
     * Verifies that the whole execution, every phase of it, took at most this long (its
     * {@linkplain DropReport#makespan() makespan}).
     * @param limit the longest acceptable makespan
     * @return this assertion
     */
    public DropReportAssert finishedWithin(Duration limit) {
        Objects.requireNonNull(limit, "'limit' must not be null");
        if (limit.isNegative()) {
            throw new IllegalArgumentException("'limit' must not be negative, but was " + limit);
        }
        DropReport report = report();
        if (report.makespan().compareTo(limit) > 0) {
            throw failure(report, "Expected the drops to finish within " + millis(limit) + ", but they took "
                    + millis(report.makespan()));
        }
        return this;
    }

    private DropReport report() {
        isNotNull();
        return this.actual;
    }

    private DropRecord record(DropReport report, String name) {
        Objects.requireNonNull(name, "a resource name must not be null");
        Map<String, DropRecord> byName = new LinkedHashMap<>();
        for (DropRecord record : report.records()) {
            byName.put(record.name(), record);
        }
        DropRecord record = byName.get(name);
        if (record == null) {
            throw failure(report, "No resource named '" + name + "' in the report; it has " + byName.keySet());
        }
        return record;
    }

    private AssertionError failure(DropReport report, String message) {
        return failure("%s", message + NL + "Report:" + NL + report.toText());
    }

    private static String describe(DropRecord record) {
        return record.name() + " was " + record.outcome()
                + record.failure().map(failure -> " (" + failure + ")").orElse("");
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.3f ms", duration.toNanos() / 1_000_000.0);
    }
}
