package dev.asyncdrop.spring;

import dev.asyncdrop.coordinator.DropReport;

/**
 * Receives the report of the drops made when the application context closed. Every bean of this type is called
 * once, after the last drop phase has completed: at context close, or after the drops that follow a failed
 * refresh. Each listener is called on a daemon thread of its own, so a listener that blocks holds up neither Spring's
 * lifecycle shutdown nor the other listeners. Before it destroys the beans (which a listener may use), the context
 * waits for the listeners, but at most 2 seconds: a listener still running then is named in a warning and no longer
 * waited for, so that it cannot hold the shutdown. An exception a listener throws is logged and ignored.
 * Implementations need no thread-safety of their own for this call, which happens once per context.
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
