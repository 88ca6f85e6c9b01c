package dev.asyncdrop.internal.coordinator;

import java.lang.System.Logger.Level;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.internal.SafeLog;

/**
 * Tells a resource that its coordinated drop timed out, through {@link AsyncDroppable#onDropTimeout()}, on a thread
 * of the shared pool: the hook must not block, but if it does, it must hold up neither the phase nor the timer that
 * timed the drop out. Whatever the hook throws is logged and ignored; when no thread can be had for it, it is not
 * called, and a WARN says so. Thread-safe.
 */
final class DropTimeoutHook {

    // The run's logger: the hook is called for a PhaseRun, and whoever configured its logging expects it there.
    private static final System.Logger LOGGER = System.getLogger(PhaseRun.class.getName());

    private DropTimeoutHook() {
    }

    /**
     * Calls the resource's hook on the shared pool.
     * @param name the resource's name in the plan, for the log
     * @param resource the resource whose drop timed out
     */
    static void callOffThread(String name, AsyncDroppable resource) {
        try {
            DropThreads.pool().execute(() -> call(name, resource));
        }
        catch (Throwable ex) {
            // Called while the drop is being finished: the phase's bookkeeping must go on whatever happens here.
            SafeLog.log(LOGGER, Level.WARNING, "onDropTimeout() of '" + name + "' was not called: no thread could be "
                    + "had for it", ex);
        }
    }

    private static void call(String name, AsyncDroppable resource) {
        try {
            resource.onDropTimeout();
        }
        catch (Throwable ex) {
            SafeLog.log(LOGGER, Level.WARNING, "onDropTimeout() of '" + name + "' threw; ignoring it", ex);
        }
    }
}
