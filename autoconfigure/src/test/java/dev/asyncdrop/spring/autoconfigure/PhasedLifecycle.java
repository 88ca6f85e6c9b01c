package dev.asyncdrop.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * A lifecycle bean in a phase of the test's choice that stops in {@code stop()} alone, as Spring Boot's logging
 * lifecycle does: Spring's shutdown timeout cannot bound it. {@link Waited} has a {@code stop(Runnable)} of its own.
 */
public class PhasedLifecycle implements SmartLifecycle {

    private final String name;

    private final int phase;

    private final @Nullable DropEvents events;

    private volatile boolean running;

    /**
     * A lifecycle bean that records nothing.
     * @param phase its phase
     */
    public PhasedLifecycle(int phase) {
        this("lifecycle", phase, null);
    }

    /** A lifecycle bean that records {@code stop:<name>} when it is stopped. */
    PhasedLifecycle(String name, int phase, @Nullable DropEvents events) {
        this.name = name;
        this.phase = phase;
        this.events = events;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (events != null) {
            events.add("stop:" + name);
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }

    /**
     * With a {@code stop(Runnable)} of its own, as executors and the web server's graceful shutdown have: Spring
     * waits for its callback, at most its phase's timeout.
     */
    public static class Waited extends PhasedLifecycle {

        /**
         * A lifecycle bean that records nothing.
         * @param phase its phase
         */
        public Waited(int phase) {
            super(phase);
        }

        Waited(String name, int phase, DropEvents events) {
            super(name, phase, events);
        }

        @Override
        public void stop(Runnable callback) {
            stop();
            callback.run();
        }
    }
}
