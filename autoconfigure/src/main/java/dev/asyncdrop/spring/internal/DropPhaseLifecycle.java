package dev.asyncdrop.spring.internal;

import org.springframework.context.SmartLifecycle;

/**
 * Runs one drop phase inside Spring's lifecycle shutdown of the same phase number. It reports itself running
 * until its phase has been dropped, because the beans it stands for stay usable through {@code stop()},
 * {@code pause()} and a checkpoint: Spring then calls it again when the context closes, and only that call drops.
 * Not pauseable, so {@code pause()} leaves it alone altogether. Thread-safe.
 */
final class DropPhaseLifecycle implements SmartLifecycle {

    private final ContextDropCoordinator coordinator;

    private final int phase;

    DropPhaseLifecycle(ContextDropCoordinator coordinator, int phase) {
        this.coordinator = coordinator;
        this.phase = phase;
    }

    @Override
    public void start() {
        // Nothing to start: the beans of the phase are running as soon as they exist.
    }

    @Override
    public void stop() {
        coordinator.stopPhase(phase, () -> {
        }).join();
    }

    @Override
    public void stop(Runnable callback) {
        coordinator.stopPhase(phase, callback);
    }

    @Override
    public boolean isRunning() {
        return !coordinator.isPhaseDropping(phase);
    }

    // No @Override: SmartLifecycle.isPauseable() is Spring Framework 7 API, and this class runs on 6.2 too, where
    // there is no pause() to leave it out of.
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    @Override
    public String toString() {
        return "async-drop phase " + phase;
    }
}
