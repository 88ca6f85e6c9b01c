package dev.asyncdrop.benchmarks.makespan;

import java.util.concurrent.CompletionStage;

import dev.asyncdrop.AsyncDroppable;

/** A resource whose {@link #asyncDrop()} starts its cleanup and returns at once. */
final class DroppingResource implements AsyncDroppable {

    private final TimedCleanup cleanup;

    DroppingResource(TimedCleanup cleanup) {
        this.cleanup = cleanup;
    }

    @Override
    public CompletionStage<Void> asyncDrop() {
        return cleanup.start();
    }
}
