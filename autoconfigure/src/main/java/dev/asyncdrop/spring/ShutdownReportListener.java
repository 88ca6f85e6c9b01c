package dev.asyncdrop.spring;

import dev.asyncdrop.coordinator.DropReport;

/**
 * Receives the report of the drops made when the application context closed. Every bean of this type is called
 * once, after the last drop phase has completed: at context close, or after the drops that follow a failed
 * refresh. Called on whichever thread completed the last phase; implementations must not block for long, and an
 * exception they throw is logged and ignored. Implementations need no thread-safety of their own for this call,
 * which happens once per context.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ShutdownReportListener {

    /**
     * Called once with the combined report of every drop phase.
     * @param report what happened to each bean
     */
    void onShutdownReport(DropReport report);
}
