package dev.asyncdrop.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import dev.asyncdrop.AsyncDropException;

/**
 * The blocking wait of {@code AsyncDropGuard.close()}: waits for a guard's drop and turns its failure, or an
 * interrupt of the wait, into an {@link AsyncDropException}. Thread-safe: it keeps no state.
 */
public final class GuardDropWait {

    private GuardDropWait() {
    }

    /**
     * Waits for a drop to finish. If the waiting thread is interrupted, its interrupt flag is restored and the drop
     * goes on in the background.
     * @param drop the guard's drop
     * @param resourceType the type of the dropped resource, for the message of an exception
     * @throws AsyncDropException if the drop failed (the failure is the cause) or the wait was interrupted
     */
    public static void await(CompletionStage<Void> drop, Class<?> resourceType) {
        Throwable failure;
        try {
            // Waits for the failure as a value: get() on the drop itself would wrap the failure in a new
            // ExecutionException, which calls its toString(), and that may throw for a failure of the user's.
            failure = drop.toCompletableFuture().handle(CompletedStages::failure).get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AsyncDropException("Interrupted while waiting for the drop of " + resourceType.getName()
                    + "; the drop goes on in the background", ex);
        }
        catch (ExecutionException ex) {
            // handle() answers a value whatever the drop did; only a broken stage of the user's gets here.
            failure = ex.getCause();
        }
        if (failure != null) {
            Throwable cause = Failures.unwrap(failure);
            throw new AsyncDropException("Dropping " + resourceType.getName() + " failed: "
                    + ((cause == null) ? "null" : Failures.describe(cause)), cause);
        }
    }
}
