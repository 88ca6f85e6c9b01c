package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * How far a context's shutdown has come, and the drops that go with it. It knows whether the context has refreshed
 * and whether it is closing (as opposed to stopping, pausing or taking a checkpoint, which drop nothing), holds the
 * plan, and drops a phase when asked by that phase's {@link DropPhaseLifecycle}: the plan runs each phase once and
 * combines the phases run so far in {@link DropPlan#report()}. Each phase is logged when it ends; when the plan's
 * last phase has ended, the blocking executor is closed and the report published, on threads of its own so that no
 * report listener holds the lifecycle shutdown. Before the beans are destroyed, {@link #awaitDrops()} drops what is
 * still due and waits for it, bounded by the phases' timeouts, then waits for the report listeners, bounded by a
 * short wait of their own. Thread-safe.
 */
final class ContextShutdown {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    /** Added to the sum of the phase timeouts when destruction waits for drops, which are bounded by them. */
    private static final Duration DESTRUCTION_WAIT_MARGIN = Duration.ofSeconds(5);

    /**
     * How long destruction waits for the shutdown report listeners, after the drops: long enough to write a report
     * file, short enough that a listener that blocks does not hold the shutdown.
     */
    static final Duration REPORT_LISTENERS_WAIT = Duration.ofSeconds(2);

    private final ShutdownReportPublisher publisher;

    private final AutoCloseable blockingExecutor;

    private final Runnable dropsStarting;

    private final AtomicBoolean dropsStarted = new AtomicBoolean();

    /** Completed once the last phase has ended: the report is being published then, and not waited for here. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private volatile @Nullable DropPlan plan;

    private volatile List<DropPhaseLifecycle> phases = List.of();

    private volatile @Nullable ApplicationContext applicationContext;

    private volatile boolean refreshed;

    private volatile boolean closing;

    /**
     * Creates the shutdown state of a context.
     * @param publisher publishes the report once the last phase has ended
     * @param blockingExecutor runs the adapters' blocking cleanups; closed once the last phase has ended
     * @param dropsStarting called once, before the first phase is dropped
     */
    ContextShutdown(ShutdownReportPublisher publisher, AutoCloseable blockingExecutor, Runnable dropsStarting) {
        this.publisher = publisher;
        this.blockingExecutor = blockingExecutor;
        this.dropsStarting = dropsStarting;
    }

    void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    /** The context has refreshed: from now on a bean destroyed before the context closes is not a shutdown. */
    void refreshed() {
        refreshed = true;
    }

    /** The context has published {@link ContextClosedEvent}: it closes, and is not merely stopped or paused. */
    void closing() {
        closing = true;
    }

    /**
     * Whether the context is closing, as opposed to stopping, pausing or taking a checkpoint. The context says so
     * from the start of {@code close()}, even if a listener of {@link ContextClosedEvent} failed before ours.
     * @return whether the context is closing
     */
    boolean isClosing() {
        return closing || (applicationContext instanceof ConfigurableApplicationContext context && context.isClosed());
    }

    /** @return whether the context has refreshed and is not closing: beans destroyed now are destroyed one by one */
    boolean isRunning() {
        return refreshed && !isClosing();
    }

    /**
     * Takes the plan of the context's drops.
     * @param plan the plan
     * @param reportListeners who hears about the report once the last phase has ended
     * @return a lifecycle for each phase of the plan, highest first
     */
    List<DropPhaseLifecycle> planned(DropPlan plan, List<ShutdownReportListener> reportListeners) {
        publisher.setListeners(reportListeners);
        List<DropPhaseLifecycle> lifecycles = plan.phases().stream()
                .map(phase -> new DropPhaseLifecycle(this, phase))
                .toList();
        this.phases = lifecycles;
        this.plan = plan;
        return lifecycles;
    }

    /** @return a stage completed once the last phase has ended and its report was published */
    CompletionStage<Void> finished() {
        return finished.minimalCompletionStage();
    }

    /** @return the plan, if there is one yet */
    Optional<DropPlan> plan() {
        return Optional.ofNullable(plan);
    }

    /** @return the report of the phases dropped so far, if any was */
    Optional<DropReport> report() {
        DropPlan plan = this.plan;
        DropReport report = (plan != null) ? plan.report() : null;
        return (report != null && !report.records().isEmpty()) ? Optional.of(report) : Optional.empty();
    }

    /**
     * Drops a phase. Called once per phase, by the phase's lifecycle.
     * @param phase the phase
     * @return a future completed once the phase has ended and been logged (and, for the last phase, the report
     * published); never completed exceptionally
     */
    CompletableFuture<Void> dropPhase(int phase) {
        DropPlan plan = this.plan;
        if (plan == null) {
            throw new IllegalStateException("No drop plan to drop phase " + phase + " of");
        }
        if (dropsStarted.compareAndSet(false, true)) {
            try {
                dropsStarting.run();
            }
            catch (RuntimeException ex) {
                logger.debug("Cannot prepare the beans for the drops", ex);
            }
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Dropping phase " + phase);
        }
        CompletableFuture<DropReport> run;
        try {
            run = plan.executePhase(phase);
        }
        catch (RuntimeException ex) {
            run = CompletableFuture.failedFuture(ex);
        }
        return run.handle((report, failure) -> {
            phaseEnded(plan, phase, report, failure);
            return null;
        });
    }

    private void phaseEnded(DropPlan plan, int phase, @Nullable DropReport report, @Nullable Throwable failure) {
        try {
            if (report != null) {
                DropLog.phaseDropped(phase, report);
            }
            else {
                logger.error("Dropping phase " + phase + " failed", failure);
            }
        }
        finally {
            List<Integer> all = plan.phases();
            // Phases run highest first, so when the lowest has ended, every phase started has ended.
            if (phase == all.get(all.size() - 1)) {
                finish(plan);
            }
        }
    }

    private void finish(DropPlan plan) {
        try {
            blockingExecutor.close();
        }
        catch (Exception ex) {
            logger.debug("Cannot close the executor of blocking drops", ex);
        }
        try {
            publisher.publish(plan.report());
        }
        finally {
            finished.complete(null);
        }
    }

    /**
     * Drops every phase not dropped yet and waits until the last has ended, at most as long as the phases may take
     * (plus a margin); then waits for the shutdown report listeners, at most {@link #REPORT_LISTENERS_WAIT}. Called
     * before the context's beans are destroyed: after a close, every phase has usually ended already; after a failed
     * refresh, none has started. An interrupt does not cut the waits short, so that no bean is destroyed while its
     * drop still runs; the thread is interrupted again afterwards, with a WARN.
     */
    void awaitDrops() {
        DropPlan plan = this.plan;
        if (plan == null || plan.phases().isEmpty()) {
            return;
        }
        Duration limit = DESTRUCTION_WAIT_MARGIN;
        for (int phase : plan.phases()) {
            limit = limit.plus(plan.phaseTimeout(phase));
        }
        for (DropPhaseLifecycle phase : phases) {
            phase.drop();
        }
        if (!BoundedWait.awaitUninterruptibly(finished, limit, "the drops")) {
            logger.warn("Gave up waiting for the drops after " + DropLog.print(limit)
                    + "; destroying the beans anyway");
            return;
        }
        // The listeners may use beans: give them a moment before those are destroyed, but only a moment.
        if (!BoundedWait.awaitUninterruptibly(publisher.published(), REPORT_LISTENERS_WAIT,
                "the shutdown report listeners")) {
            for (ShutdownReportListener listener : publisher.stillRunning()) {
                logger.warn("ShutdownReportListener " + listener + " has not returned after "
                        + DropLog.print(REPORT_LISTENERS_WAIT) + "; destroying the beans without waiting for it");
            }
        }
    }
}
