package dev.asyncdrop.micrometer;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.asyncdrop.GuardDropListener;
import dev.asyncdrop.GuardDrops;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.LeakListener;
import dev.asyncdrop.LeakReport;
import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropRecord;

/**
 * Micrometer meters for drops, leaks and live guards. Bind it to any number of registries; to time the drops of a
 * {@link DropPlan}, also add it to the plan as a {@link DropListener}:
 *
 * <pre>{@code
 * AsyncDropMetrics metrics = new AsyncDropMetrics(Tags.of("application", "orders"));
 * metrics.bindTo(registry);
 * DropPlan plan = DropPlan.builder().add("pool", pool).listener(metrics).build();
 * // ... and once nothing is left to time:
 * metrics.close();
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@value #DROP}</td><td>timer</td><td>{@code resource}, {@code phase}, {@code outcome},
 * {@code exception}</td><td>every drop: a plan's drops are tagged with the resource's name and phase number; drops of
 * {@code AsyncDropGuard}s anywhere in the JVM are tagged with the simple name of the resource's type and phase
 * {@value #NO_PHASE}</td></tr>
 * <tr><td>{@value #PHASE}</td><td>timer</td><td>{@code phase}, {@code outcome}</td><td>every completed phase of a
 * plan</td></tr>
 * <tr><td>{@value #LEAKS}</td><td>counter</td><td>{@code type}</td><td>guards found unreachable without having been
 * dropped; only tracked guards can be found, see {@link LeakDetection}</td></tr>
 * <tr><td>{@value #GUARDS_LIVE}</td><td>gauge</td><td></td><td>guards created and not yet dropped</td></tr>
 * </table>
 * {@code outcome} is one of {@code success}, {@code failure}, {@code timeout} and {@code skipped} (a skipped drop is
 * recorded with a zero duration); {@code exception} is the simple name of the failure's type, or {@code none}. Every
 * tag has a bounded set of values: types without a stable simple name, such as lambdas, are named after their
 * nearest named supertype.
 * <p>
 * Where drops are instrumented as observations ({@link DropObservations}, which a meter handler turns into the same
 * {@value #DROP} and {@value #PHASE} timers), create the meters with {@link #forObservedDrops(Iterable)}: they count
 * leaks and live guards and leave the drops to the observations, so that each drop is timed once. (The observations'
 * meter handler also makes a long task timer, {@code async.drop.active}, of the drops in progress.)
 * <p>
 * Registries are held weakly: a registry that is garbage collected is forgotten. {@link #close()} stops the
 * recording; the meters already registered stay in their registries. Thread-safe.
 *
 * @since 0.1.0
 */
public final class AsyncDropMetrics implements MeterBinder, DropListener, AutoCloseable {

    /** The name of the timer of every drop. */
    public static final String DROP = "async.drop";

    /** The name of the timer of every phase of a plan. */
    public static final String PHASE = "async.drop.phase";

    /** The name of the counter of leaked guards. */
    public static final String LEAKS = "async.drop.leaks";

    /** The name of the gauge of live guards. */
    public static final String GUARDS_LIVE = "async.drop.guards.live";

    /** The {@code phase} tag's value for drops of guards outside any plan. */
    public static final String NO_PHASE = TagValues.NONE;

    private static final String GUARDS = "guards";

    private final Tags tags;

    private final boolean timeDrops;

    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    private final Object lifecycle = new Object();

    private boolean closed;

    /** Creates meters without extra tags. */
    public AsyncDropMetrics() {
        this(Tags.empty());
    }

    /**
     * Creates meters with extra tags.
     * @param tags tags added to every meter
     */
    public AsyncDropMetrics(Iterable<Tag> tags) {
        this(tags, true);
    }

    private AsyncDropMetrics(Iterable<Tag> tags, boolean timeDrops) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "'tags' must not be null"));
        this.timeDrops = timeDrops;
    }

    /**
     * Creates meters of leaks and live guards only, for drops that {@link DropObservations} instruments: its
     * observations' meter handler makes the drop and phase timers, so these meters must not time them again. As a
     * {@link DropListener} it does nothing.
     * @param tags tags added to every meter
     * @return the meters
     */
    public static AsyncDropMetrics forObservedDrops(Iterable<Tag> tags) {
        return new AsyncDropMetrics(tags, false);
    }

    /**
     * Registers the meters and starts recording into the registry. Binding again to the same registry does nothing.
     * @param registry the registry
     * @throws IllegalStateException when this binder was closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "'registry' must not be null");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("These AsyncDropMetrics were closed; create new ones to bind to "
                        + registry);
            }
            for (Binding existing : bindings) {
                if (existing.registry() == registry) {
                    // Bound twice to one registry: a second listener would count every drop twice.
                    return;
                }
            }
            Gauge.builder(GUARDS_LIVE, LeakDetection::liveGuards)
                    .tags(tags)
                    .description("Guards created and not yet dropped")
                    .baseUnit(GUARDS)
                    .register(registry);
            Binding binding = new Binding(registry);
            bindings.add(binding);
            binding.start();
        }
    }

    /** Times a drop of a plan. */
    @Override
    public void onDropFinished(DropRecord record) {
        if (!timeDrops) {
            return;
        }
        String outcome = TagValues.outcome(record.outcome());
        String exception = TagValues.exception(record.failure().orElse(null));
        String phase = String.valueOf(record.phase());
        for (Binding binding : bindings) {
            MeterRegistry registry = binding.registry();
            if (registry != null) {
                recordDrop(registry, record.name(), phase, outcome, exception, record.duration());
            }
        }
    }

    /** Times a phase of a plan. */
    @Override
    public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
        if (!timeDrops) {
            return;
        }
        for (Binding binding : bindings) {
            MeterRegistry registry = binding.registry();
            if (registry != null) {
                Timer.builder(PHASE)
                        .tags(tags)
                        .tag("phase", String.valueOf(phase))
                        .tag("outcome", TagValues.outcome(outcome))
                        .description("Time taken by a drop phase, from its start until its last drop finished or "
                                + "its deadline passed")
                        .register(registry)
                        .record(duration);
            }
        }
    }

    /** Stops recording into every registry. Closing twice does nothing. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            for (Binding binding : bindings) {
                binding.stop();
            }
        }
    }

    private void recordDrop(MeterRegistry registry, String resource, String phase, String outcome, String exception,
            Duration duration) {
        Timer.builder(DROP)
                .tags(tags)
                .tag("resource", resource)
                .tag("phase", phase)
                .tag("outcome", outcome)
                .tag("exception", exception)
                .description("Time taken by a drop, from its start until it completed or the coordinator stopped "
                        + "waiting")
                .register(registry)
                .record(duration);
    }

    /**
     * One registry: its guard drop listener and leak listener live in static registries, so they must not keep the
     * registry reachable; once it is collected they unregister themselves.
     */
    private final class Binding implements GuardDropListener, LeakListener {

        private final WeakReference<MeterRegistry> registry;

        Binding(MeterRegistry registry) {
            this.registry = new WeakReference<>(registry);
        }

        void start() {
            if (timeDrops) {
                GuardDrops.addListener(this);
            }
            LeakDetection.addListener(this);
        }

        // Idempotent: removing a listener that is gone does nothing, so threads that find the registry collected at
        // the same time may all stop the binding.
        void stop() {
            GuardDrops.removeListener(this);
            LeakDetection.removeListener(this);
            bindings.remove(this);
        }

        @Nullable MeterRegistry registry() {
            MeterRegistry current = registry.get();
            if (current == null) {
                stop();
            }
            return current;
        }

        @Override
        public void onGuardDropped(Class<?> resourceType, Duration duration, @Nullable Throwable failure) {
            MeterRegistry current = registry();
            if (current != null) {
                recordDrop(current, TagValues.type(resourceType), NO_PHASE, TagValues.outcome(failure),
                        TagValues.exception(failure), duration);
            }
        }

        @Override
        public void onLeak(LeakReport report) {
            MeterRegistry current = registry();
            if (current != null) {
                Counter.builder(LEAKS)
                        .tags(tags)
                        .tag("type", TagValues.type(report.resourceType()))
                        .description("Guards that became unreachable without having been dropped")
                        .baseUnit(GUARDS)
                        .register(current)
                        .increment();
            }
        }
    }
}
