package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * Publishes the report of a context's drops, once: logs it with its timeline, unless told not to, and calls every
 * {@link ShutdownReportListener}, each on a daemon thread of its own, so that a listener that blocks holds neither
 * the phase that ended last (and with it Spring's lifecycle shutdown) nor the other listeners. A listener that
 * throws is logged. Whoever must not go on before the listeners are done (the destruction of the beans they may
 * use) waits for {@link #published()}, as long as it sees fit. Thread-safe.
 */
final class ShutdownReportPublisher {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final boolean logReport;

    private final SimpleAsyncTaskExecutor executor;

    private final AtomicBoolean publishing = new AtomicBoolean();

    /** Completed once the report is published and every listener has returned. */
    private final CompletableFuture<Void> published = new CompletableFuture<>();

    private final Set<ShutdownReportListener> running = ConcurrentHashMap.newKeySet();

    private volatile List<ShutdownReportListener> listeners = List.of();

    /**
     * Creates a publisher.
     * @param logReport whether to log the report at INFO level
     */
    ShutdownReportPublisher(boolean logReport) {
        this.logReport = logReport;
        this.executor = new SimpleAsyncTaskExecutor("async-drop-report-");
        // A listener that never returns must not keep the JVM alive.
        this.executor.setDaemon(true);
    }

    /**
     * Sets who hears about the report.
     * @param listeners the listeners, in order
     */
    void setListeners(List<ShutdownReportListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Publishes a report, unless one was published already; returns at once.
     * @param report the report of every drop phase
     */
    void publish(DropReport report) {
        if (!publishing.compareAndSet(false, true)) {
            return;
        }
        if (logReport && logger.isInfoEnabled()) {
            logger.info("Shutdown drop report:%n%s".formatted(report.toText()));
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (ShutdownReportListener listener : listeners) {
            running.add(listener);
            calls.add(CompletableFuture.runAsync(() -> call(listener, report), executor));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> published.complete(null));
    }

    private void call(ShutdownReportListener listener, DropReport report) {
        try {
            listener.onShutdownReport(report);
        }
        catch (RuntimeException | Error ex) {
            logger.warn("ShutdownReportListener " + listener + " failed; ignoring it", ex);
        }
        finally {
            running.remove(listener);
        }
    }

    /** @return a future completed once the report is published and every listener has returned */
    CompletableFuture<Void> published() {
        return published;
    }

    /** @return the listeners still being called */
    List<ShutdownReportListener> stillRunning() {
        return List.copyOf(running);
    }
}
