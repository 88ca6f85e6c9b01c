package dev.asyncdrop.spring.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * Runs one drop phase inside Spring's lifecycle shutdown of the same phase number; the work lives in
 * {@link ContextShutdown}. It reports itself running until its phase is dropped, because the beans it stands for
 * stay usable through {@code stop()}, {@code pause()} and a checkpoint: Spring then calls it again when the context
 * closes, and only that call drops. Not pauseable, so {@code pause()} leaves it alone altogether. Thread-safe.
 */
final class DropPhaseLifecycle implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final ContextShutdown shutdown;

    private final int phase;

    private final AtomicBoolean running = new AtomicBoolean(true);

    DropPhaseLifecycle(ContextShutdown shutdown, int phase) {
        this.shutdown = shutdown;
        this.phase = phase;
    }

    @Override
    public void start() {
        // Nothing to start: the beans of the phase are running as soon as they exist.
    }

    @Override
    public void stop() {
        stopping().join();
    }

    @Override
    public void stop(Runnable callback) {
        stopping().whenComplete((ignored, failure) -> callback.run());
    }

    private CompletableFuture<Void> stopping() {
        if (!shutdown.isClosing()) {
            if (logger.isDebugEnabled()) {
                logger.debug("Not dropping phase " + phase + ": the context is stopped, paused or checkpointed, "
                        + "not closed");
            }
            return CompletableFuture.completedFuture(null);
        }
        return drop();
    }

    /**
     * Drops the phase, unless that has been done already.
     * @return a future completed once the phase has ended, or at once if it was dropped before
     */
    CompletableFuture<Void> drop() {
        return running.compareAndSet(true, false) ? shutdown.dropPhase(phase) : CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isRunning() {
        return running.get();
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
