package dev.asyncdrop.spring.report;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.asyncdrop.micrometer.TagValues;

/**
 * Publishes the figures of the previous run's shutdown, read back by a {@link ShutdownReportStore}:
 * {@value #DURATION} (time gauge: the makespan of the drops), {@value #FAILURES} and {@value #TIMEOUTS} (gauges:
 * how many drops failed or timed out), and {@value #RESOURCE} (time gauges, one per resource, tagged
 * {@code resource}, {@code phase} and {@code outcome}: how long its drop took). Spring Boot closes meter registries
 * when the context closes, before the drops run, so a shutdown's figures can only be published after the next start.
 * When the store found no readable report, no gauge is registered. Thread-safe.
 *
 * @since 0.1.0
 */
public final class LastShutdownMetrics implements MeterBinder {

    /** The name of the gauge of the last shutdown's makespan. */
    public static final String DURATION = "async.drop.last.shutdown.duration";

    /** The name of the gauge of the last shutdown's failed drops. */
    public static final String FAILURES = "async.drop.last.shutdown.failures";

    /** The name of the gauge of the last shutdown's timed out drops. */
    public static final String TIMEOUTS = "async.drop.last.shutdown.timeouts";

    /** The name of the time gauges of each resource's drop in the last shutdown. */
    public static final String RESOURCE = "async.drop.last.shutdown.resource";

    private static final String RESOURCES = "resources";

    private final ShutdownReportStore store;

    private final Tags tags;

    /**
     * Creates gauges without extra tags.
     * @param store the store that read the last shutdown's report
     */
    public LastShutdownMetrics(ShutdownReportStore store) {
        this(store, Tags.empty());
    }

    /**
     * Creates gauges with extra tags.
     * @param store the store that read the last shutdown's report
     * @param tags tags added to every gauge
     */
    public LastShutdownMetrics(ShutdownReportStore store, Iterable<Tag> tags) {
        this.store = Objects.requireNonNull(store, "'store' must not be null");
        this.tags = Tags.of(Objects.requireNonNull(tags, "'tags' must not be null"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "'registry' must not be null");
        store.lastShutdown().ifPresent((summary) -> {
            // The summary never changes, and nothing else holds it: the gauges must keep it reachable.
            TimeGauge.builder(DURATION, summary, TimeUnit.NANOSECONDS, (last) -> last.makespan().toNanos())
                    .tags(tags)
                    .description("Time the drops of the previous shutdown took, from its report")
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(FAILURES, summary, ShutdownSummary::failures)
                    .tags(tags)
                    .description("Drops that failed during the previous shutdown, from its report")
                    .baseUnit(RESOURCES)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(TIMEOUTS, summary, ShutdownSummary::timeouts)
                    .tags(tags)
                    .description("Drops that timed out during the previous shutdown, from its report")
                    .baseUnit(RESOURCES)
                    .strongReference(true)
                    .register(registry);
            for (ShutdownSummary.ResourceDrop drop : summary.drops()) {
                TimeGauge.builder(RESOURCE, drop, TimeUnit.NANOSECONDS, (last) -> last.duration().toNanos())
                        .tags(tags)
                        .tag("resource", drop.resource())
                        .tag("phase", String.valueOf(drop.phase()))
                        .tag("outcome", TagValues.outcome(drop.outcome()))
                        .description("Time the resource's drop took during the previous shutdown, from its report")
                        .strongReference(true)
                        .register(registry);
            }
        });
    }
}
