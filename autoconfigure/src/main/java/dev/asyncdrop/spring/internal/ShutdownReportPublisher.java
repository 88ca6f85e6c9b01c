package dev.asyncdrop.spring.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * Publishes the report of a context's drops, once: logs it with its timeline, unless told not to, and calls every
 * {@link ShutdownReportListener}. A listener that throws is logged and the others are still called. Thread-safe.
 */
final class ShutdownReportPublisher {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final boolean logReport;

    private final AtomicBoolean published = new AtomicBoolean();

    private volatile List<ShutdownReportListener> listeners = List.of();

    /**
     * Creates a publisher.
     * @param logReport whether to log the report at INFO level
     */
    ShutdownReportPublisher(boolean logReport) {
        this.logReport = logReport;
    }

    /**
     * Sets who hears about the report.
     * @param listeners the listeners, in order
     */
    void setListeners(List<ShutdownReportListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Publishes a report, unless one was published already.
     * @param report the report of every drop phase
     */
    void publish(DropReport report) {
        if (!published.compareAndSet(false, true)) {
            return;
        }
        if (logReport && logger.isInfoEnabled()) {
            logger.info("Shutdown drop report:%n%s".formatted(report.toText()));
        }
        for (ShutdownReportListener listener : listeners) {
            try {
                listener.onShutdownReport(report);
            }
            catch (RuntimeException ex) {
                logger.warn("ShutdownReportListener " + listener + " failed; ignoring it", ex);
            }
        }
    }
}
