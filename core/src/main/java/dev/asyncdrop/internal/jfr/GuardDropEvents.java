package dev.asyncdrop.internal.jfr;

import jdk.jfr.FlightRecorder;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;

/**
 * The flight recorder events of guard drops ({@code dev.asyncdrop.GuardDrop}). Asking whether they are recorded is
 * cheap enough for the guard's hot path: a flag of the recorder, then one shared event answers, with no allocation;
 * the answer is a constant once compiled when the runtime has no {@code jdk.jfr} module. Thread-safe.
 */
public final class GuardDropEvents {

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private GuardDropEvents() {
    }

    /** @return whether a running recording wants guard drops */
    public static boolean enabled() {
        // Until the recorder is set up, no event class is touched: the first would set up its type library, which
        // takes a tenth of a second.
        return AVAILABLE && FlightRecorder.isInitialized() && Probe.EVENT.isEnabled();
    }

    /**
     * Begins the event of a guard drop that starts now. Only called when {@link #enabled()} said so.
     * @return the event, as an {@code Object} so that callers never name a flight recorder type
     */
    public static Object begin() {
        GuardDropEvent event = new GuardDropEvent();
        event.begin();
        return event;
    }

    /**
     * Commits the event of a guard drop that ended, if it lasted long enough for the recording's threshold.
     * @param begun what {@link #begin()} returned
     * @param resourceType the class of the dropped resource
     * @param failure the drop's failure, or {@code null} when it succeeded
     */
    public static void commit(Object begun, Class<?> resourceType, @Nullable Throwable failure) {
        GuardDropEvent event = (GuardDropEvent) begun;
        event.end();
        if (event.shouldCommit()) {
            event.resourceType = resourceType;
            event.outcome = ((failure == null) ? DropOutcome.DROPPED : DropOutcome.FAILED).label();
            event.failure = (failure != null) ? failure.toString() : null;
            event.commit();
        }
    }

    /** Holds the event that answers {@link #enabled()}: its class is loaded only when the module exists. */
    private static final class Probe {

        // isEnabled() reads the state of the event type, not of this instance, so one instance serves every thread.
        static final GuardDropEvent EVENT = new GuardDropEvent();
    }
}
