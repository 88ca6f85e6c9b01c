package dev.asyncdrop;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.GuardWatch;
import dev.asyncdrop.internal.LeakTracker;
import dev.asyncdrop.internal.SafeLog;

/**
 * Reports {@link AsyncDropGuard guards} that become unreachable without being dropped: Java's answer to Rust
 * panicking in {@code Drop}. A leaked guard means a resource whose asynchronous cleanup never ran.
 * <p>
 * How many guards are watched depends on the {@link Level}, set with {@link #setLevel(Level)} or the system
 * property {@value #LEVEL_PROPERTY} (read once, when this class is initialised). A watched guard records its
 * creation stack and the resource's {@code toString()}; when it is garbage-collected undropped, a
 * {@link LeakReport} is logged at ERROR through {@link System.Logger} (logger {@code dev.asyncdrop.LeakDetection})
 * and handed to every {@link LeakListener}. Detection uses one shared {@link java.lang.ref.Cleaner}, never
 * {@code finalize()}; reports arrive on its daemon thread some time after a garbage collection.
 * <p>
 * {@link #liveGuards()} counts every guard, watched or not, that has been created and neither dropped nor
 * disarmed. A leaked guard never meets its obligation, so it stays in that count: a count that keeps rising is a
 * leak signal even for the guards sampling did not watch. Unwatched leaks are counted there but not reported; that
 * is the price of sampling, which keeps the cost of an unwatched guard to one counter update.
 * <p>
 * Thread-safe: every method may be called from any thread at any time.
 *
 * @since 0.1.0
 */
public final class LeakDetection {

    /** The system property that sets the initial level: {@code DISABLED}, {@code SAMPLED} or {@code PARANOID}. */
    public static final String LEVEL_PROPERTY = "asyncdrop.leakDetection.level";

    /**
     * How many guards leak detection watches.
     *
     * @since 0.1.0
     */
    public enum Level {
        /** No guard is watched; guards are still counted in {@link LeakDetection#liveGuards()}. */
        DISABLED,
        /** About one guard in {@value LeakDetection#SAMPLING_INTERVAL} is watched, chosen at random. The default. */
        SAMPLED,
        /** Every guard is watched. Costs a stack capture per guard: for tests and leak hunting. */
        PARANOID
    }

    /** How many guards share one watched guard, on average, at level {@link Level#SAMPLED}. */
    public static final int SAMPLING_INTERVAL = 128;

    private static final int SAMPLING_MASK = SAMPLING_INTERVAL - 1;

    private static final Level DEFAULT_LEVEL = Level.SAMPLED;

    private static final System.Logger LOGGER = System.getLogger(LeakDetection.class.getName());

    private static final LongAdder LIVE_GUARDS = new LongAdder();

    private static final LongAdder LEAKS_DETECTED = new LongAdder();

    private static final List<LeakListener> LISTENERS = new CopyOnWriteArrayList<>();

    private static volatile Level level = levelFrom(System.getProperty(LEVEL_PROPERTY));

    private LeakDetection() {
    }

    /**
     * Sets how many guards created from now on are watched; guards created earlier keep their setting.
     * @param level the new level
     */
    public static void setLevel(Level level) {
        LeakDetection.level = Objects.requireNonNull(level, "'level' must not be null");
    }

    /** @return the current level */
    public static Level level() {
        return level;
    }

    /**
     * Registers a listener for leak reports, in addition to the ERROR log.
     * @param listener the listener
     */
    public static void addListener(LeakListener listener) {
        LISTENERS.add(Objects.requireNonNull(listener, "'listener' must not be null"));
    }

    /**
     * Unregisters a listener; does nothing if it was not registered.
     * @param listener the listener
     */
    public static void removeListener(LeakListener listener) {
        LISTENERS.remove(Objects.requireNonNull(listener, "'listener' must not be null"));
    }

    /** @return how many guards have been created and neither dropped nor disarmed, leaked ones included */
    public static long liveGuards() {
        return LIVE_GUARDS.sum();
    }

    /** @return how many leaks have been reported since this JVM started */
    public static long leaksDetected() {
        return LEAKS_DETECTED.sum();
    }

    /** Counts a new guard and, if the level says so, starts watching it. The guard's hot path: keep it lean. */
    static @Nullable LeakTracker guardCreated(AsyncDropGuard<?> guard, AsyncDroppable resource) {
        LIVE_GUARDS.increment();
        if (GuardWatch.active()) {
            return GuardWatch.track(guard, resource, LeakDetection::report);
        }
        Level current = level;
        if (current == Level.DISABLED
                || (current == Level.SAMPLED && (ThreadLocalRandom.current().nextInt() & SAMPLING_MASK) != 0)) {
            return null;
        }
        return LeakTracker.track(guard, resource, LeakDetection::report);
    }

    /** The guard was dropped or disarmed: it is no longer live and can no longer leak. */
    static void guardReleased(@Nullable LeakTracker tracker) {
        LIVE_GUARDS.decrement();
        if (tracker != null) {
            tracker.discharge();
        }
    }

    // Runs on the leak detector's thread, which reports every later leak: like java.lang.ref.Cleaner with its
    // cleaning actions, it catches whatever a listener throws, errors included, so that neither that thread nor
    // the listeners after the one that threw miss a report.
    private static void report(LeakReport report) {
        LEAKS_DETECTED.increment();
        SafeLog.log(LOGGER, System.Logger.Level.ERROR, report.toString());
        for (LeakListener listener : LISTENERS) {
            try {
                listener.onLeak(report);
            }
            catch (Throwable ex) {
                SafeLog.log(LOGGER, System.Logger.Level.WARNING, "Leak listener " + SafeLog.describe(listener)
                        + " threw; ignoring it", ex);
            }
        }
    }

    static Level levelFrom(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LEVEL;
        }
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            LOGGER.log(System.Logger.Level.WARNING, "Ignoring system property " + LEVEL_PROPERTY + "='" + value
                    + "': valid values are " + Arrays.toString(Level.values()) + "; using " + DEFAULT_LEVEL);
            return DEFAULT_LEVEL;
        }
    }
}
