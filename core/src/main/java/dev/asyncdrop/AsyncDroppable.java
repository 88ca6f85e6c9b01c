package dev.asyncdrop;

import java.util.concurrent.CompletionStage;

/**
 * A resource whose cleanup is asynchronous: connection pools, executors, write-behind buffers, network clients.
 * <p>
 * Java has no asynchronous destructor; implementing this interface is how a resource says "dropping me takes
 * time, and here is the stage that completes when I am gone". Own an instance through an {@link AsyncDropGuard}
 * so that a forgotten drop is detected, or hand it to a {@link dev.asyncdrop.coordinator.DropPlan} to have it
 * dropped in dependency order.
 * <p>
 * Implementations decide their own thread-safety; the library calls {@link #asyncDrop()} at most once per guard
 * and {@link #onDropTimeout()} at most once per coordinated drop.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface AsyncDroppable {

    /**
     * Starts the cleanup and returns a stage that completes when it has finished. Must not block: do the waiting
     * in the returned stage. May complete exceptionally to report a failed cleanup.
     * @return a stage that completes once the resource is dropped
     */
    CompletionStage<Void> asyncDrop();

    /**
     * Escalation hook: called once when a coordinator gives up waiting for {@link #asyncDrop()} to complete, for
     * example to interrupt workers or close sockets forcibly. Must not block. Does nothing by default.
     */
    default void onDropTimeout() {
    }
}
