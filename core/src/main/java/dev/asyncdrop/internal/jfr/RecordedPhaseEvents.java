package dev.asyncdrop.internal.jfr;

import java.time.Duration;

import jdk.jfr.FlightRecorder;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.internal.Durations;

/** The events of a phase while a recording wants them. Thread-safe as {@link PhaseEvents} says. */
final class RecordedPhaseEvents extends PhaseEvents {

    private final int phase;

    private final DropPhaseEvent phaseEvent;

    private final @Nullable DropEvent[] drops;

    private final boolean dropsEnabled;

    private RecordedPhaseEvents(int phase, DropPhaseEvent phaseEvent, int resources, boolean dropsEnabled) {
        this.phase = phase;
        this.phaseEvent = phaseEvent;
        this.dropsEnabled = dropsEnabled;
        this.drops = new DropEvent[dropsEnabled ? resources : 0];
    }

    static PhaseEvents beginIfRecorded(int phase, int resources, Duration timeout, PhaseEvents none) {
        if (!FlightRecorder.isInitialized()) {
            // The first event object would set up the recorder's type library: a tenth of a second, for nothing.
            return none;
        }
        DropPhaseEvent phaseEvent = new DropPhaseEvent();
        boolean dropsEnabled = new DropEvent().isEnabled();
        if (!phaseEvent.isEnabled() && !dropsEnabled) {
            return none;
        }
        phaseEvent.phase = phase;
        phaseEvent.resources = resources;
        phaseEvent.timeout = Durations.saturatedNanos(timeout);
        phaseEvent.begin();
        return new RecordedPhaseEvents(phase, phaseEvent, resources, dropsEnabled);
    }

    static void registerTypes() {
        if (FlightRecorder.isInitialized()) {
            FlightRecorder.register(DropPhaseEvent.class);
            FlightRecorder.register(DropEvent.class);
        }
    }

    @Override
    public void dropStarting(int local) {
        if (dropsEnabled) {
            DropEvent event = new DropEvent();
            event.begin();
            drops[local] = event;
        }
    }

    @Override
    public void dropFinished(int local, String name, DropOutcome outcome, @Nullable Throwable failure) {
        DropEvent event = dropsEnabled ? drops[local] : null;
        if (event != null) {
            event.end();
            commit(event, name, outcome, failure);
        }
    }

    @Override
    public void dropSkipped(String name) {
        if (dropsEnabled) {
            commit(new DropEvent(), name, DropOutcome.SKIPPED, null);
        }
    }

    @Override
    public void phaseFinished(DropOutcome outcome) {
        phaseEvent.end();
        if (phaseEvent.shouldCommit()) {
            phaseEvent.outcome = outcome.label();
            phaseEvent.commit();
        }
    }

    private void commit(DropEvent event, String name, DropOutcome outcome, @Nullable Throwable failure) {
        if (event.shouldCommit()) {
            event.resource = name;
            event.phase = phase;
            event.outcome = outcome.label();
            event.failure = (failure != null) ? failure.toString() : null;
            event.commit();
        }
    }
}
