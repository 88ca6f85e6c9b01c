package dev.asyncdrop.internal.coordinator;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDropException;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.PhaseRecord;
import dev.asyncdrop.internal.CompletedStages;
import dev.asyncdrop.internal.Durations;
import dev.asyncdrop.internal.Failures;
import dev.asyncdrop.internal.SafeLog;
import dev.asyncdrop.internal.jfr.PhaseEvents;

/**
 * One execution of one phase: an event-driven schedule over the phase's part of the graph.
 * <p>
 * Each node counts its unfinished dependents in the same phase; a node that finishes decrements the counters of its
 * dependencies and pushes each that reaches zero onto the {@link ReadyDrops}. Its workers, on the executor, pop ready
 * nodes and call {@code asyncDrop()}. A drop whose stage is already complete is finished on the spot and its
 * dependencies are pushed, so a chain of instant drops runs in a loop, never recursively. While a worker is inside
 * {@code asyncDrop()} it does not count as draining; if ready work is waiting and no one else drains, a new worker is
 * started, so a drop that blocks in {@code asyncDrop()} holds up only itself.
 * <p>
 * Every node moves once from waiting to starting to running to done, or from waiting to done (skipped), by
 * compare-and-set, so late completions, timeouts and the deadline race safely and each node finishes exactly once.
 * Only the worker that claimed a node moves it from starting to running, after posting its start to the listeners,
 * and a deadline that passed meanwhile is left to that worker, so a finish is never posted before its start.
 * Listeners are only told, never called here ({@link DropListeners} queues each event on every listener's lane), and
 * the phase's future is completed by a {@link PhaseCompletion}, so that no listener holds a drop, a deadline or the
 * phase.
 * Thread-safe.
 */
public final class PhaseRun {

    private static final System.Logger LOGGER = System.getLogger(PhaseRun.class.getName());

    private static final int WAITING = 0;
    // Claimed by a worker that is telling the listeners of the start: nobody may finish the node until it is
    // RUNNING, so that every listener hears a resource's start before its finish.
    private static final int STARTING = 3;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final CompiledPlan plan;
    private final PlanGraph graph;
    private final int phase;
    private final int[] nodes;
    private final DropListeners listeners;
    private final long originNanos;
    private final long startNanos;
    private final PhaseCompletion completion;
    private final PhaseEvents events;

    private final AtomicIntegerArray pendingDependents;
    private final AtomicIntegerArray state;
    private final long[] dropStart;
    private final long[] dropEnd;
    private final DropOutcome[] outcomes;
    private final @Nullable Throwable[] failures;
    private final @Nullable DropRecord[] records;
    // Written by the starting worker and read by whichever thread finishes the node: an atomic array, so that a
    // finish racing the start either sees the timer or leaves it to the starter to cancel.
    private final @Nullable AtomicReferenceArray<ScheduledFuture<?>> timers;
    private final AtomicInteger remaining;
    private final ReadyDrops ready;

    private volatile boolean deadlinePassed;

    /**
     * Prepares the run of one phase.
     * @param plan the plan
     * @param phaseIndex the index of the phase among the plan's phases
     * @param originNanos the start of the plan's first execution
     * @param startNanos the start of this phase
     * @param completion completed with the phase's records
     */
    public PhaseRun(CompiledPlan plan, int phaseIndex, long originNanos, long startNanos,
            CompletableFuture<FinishedPhase> completion) {
        this.plan = plan;
        this.graph = plan.graph();
        this.nodes = this.graph.phaseNodes(phaseIndex);
        this.phase = plan.phase(phaseIndex);
        this.listeners = plan.listeners();
        this.originNanos = originNanos;
        this.startNanos = startNanos;
        this.completion = new PhaseCompletion(completion, this.listeners, this.phase);
        int size = nodes.length;
        int[] pending = new int[size];
        boolean anyOwnTimeout = false;
        for (int local = 0; local < size; local++) {
            int node = nodes[local];
            for (int k = graph.dependentStart(node); k < graph.dependentEnd(node); k++) {
                if (graph.phase(graph.dependent(k)) == phase) {
                    pending[local]++;
                }
            }
            anyOwnTimeout |= plan.ownTimeoutNanos(node) > 0;
        }
        this.pendingDependents = new AtomicIntegerArray(pending);
        this.state = new AtomicIntegerArray(size);
        this.dropStart = new long[size];
        this.dropEnd = new long[size];
        this.outcomes = new DropOutcome[size];
        this.failures = new Throwable[size];
        this.records = new DropRecord[size];
        this.timers = anyOwnTimeout ? new AtomicReferenceArray<>(size) : null;
        this.remaining = new AtomicInteger(size);
        this.ready = new ReadyDrops(plan, this.phase, size, this::startDrop);
        this.events = PhaseEvents.begin(phase, size, plan.phaseTimeout(phase));
    }

    /**
     * Starts the phase: arms its deadline and starts every resource that no one in the phase depends on. If that
     * fails (no thread can be had for the drops, say), every resource of the phase ends {@link DropOutcome#FAILED}
     * with an {@link AsyncDropException} that says why, and the phase completes.
     */
    public void start() {
        Throwable cause;
        try {
            completion.deadline(DropThreads.schedule(this::passDeadline,
                    Durations.saturatedNanos(plan.phaseTimeout(phase))));
            boolean any = false;
            for (int local = 0; local < nodes.length; local++) {
                if (pendingDependents.get(local) == 0) {
                    ready.push(local);
                    any = true;
                }
            }
            cause = any ? ready.signal() : null;
        }
        catch (Throwable ex) {
            cause = ex;
        }
        if (cause != null) {
            failToStart(cause);
        }
    }

    /**
     * The failure of every resource of a phase that could not start.
     * @param phase the phase
     * @param cause why it could not start
     * @return the failure to record
     */
    static AsyncDropException couldNotStart(int phase, Throwable cause) {
        return new AsyncDropException("Phase " + phase + " could not start: " + Failures.describe(cause), cause);
    }

    // No drop has started: signal() was the last step of start() and it found no thread.
    private void failToStart(Throwable cause) {
        AsyncDropException failure = couldNotStart(phase, cause);
        SafeLog.log(LOGGER, Level.ERROR, failure.getMessage() + "; its resources are FAILED", cause);
        // Every node is claimed before any finishes: a finish releases the node's dependencies, which a thread
        // found meanwhile would otherwise start dropping.
        boolean[] claimed = new boolean[nodes.length];
        for (int local = 0; local < nodes.length; local++) {
            claimed[local] = state.compareAndSet(local, WAITING, STARTING);
        }
        for (int local = 0; local < nodes.length; local++) {
            if (!claimed[local]) {
                continue;
            }
            dropStart[local] = System.nanoTime();
            events.dropStarting(local);
            announceStart(local);
            finish(local, DropOutcome.FAILED, failure);
        }
    }

    // Only the thread that claimed the node (WAITING to STARTING) calls this: the node may finish once it returns.
    private void announceStart(int local) {
        try {
            if (!listeners.isEmpty()) {
                listeners.onDropStarted(graph.name(nodes[local]), phase);
            }
        }
        finally {
            state.set(local, RUNNING);
        }
    }

    private void startDrop(int local) {
        if (deadlinePassed) {
            return;
        }
        int node = nodes[local];
        dropStart[local] = System.nanoTime();
        events.dropStarting(local);
        if (!state.compareAndSet(local, WAITING, STARTING)) {
            return;
        }
        announceStart(local);
        if (deadlinePassed) {
            // The deadline's sweep may have seen this node still starting and left it: time it out here, after its
            // start was posted. Whichever of the sweep and this line comes second finds the node done.
            finish(local, DropOutcome.TIMED_OUT, null);
            return;
        }
        long ownTimeoutNanos = plan.ownTimeoutNanos(node);
        if (timers != null && ownTimeoutNanos > 0) {
            ScheduledFuture<?> timer = DropThreads.schedule(() -> finish(local, DropOutcome.TIMED_OUT, null),
                    ownTimeoutNanos);
            timers.set(local, timer);
            if (state.get(local) == DONE) {
                // The phase deadline finished this node before the timer was stored: nobody else will cancel it.
                timer.cancel(false);
            }
        }
        // asyncDrop() may block despite its contract; while it runs, this worker does not drain the ready stack.
        ready.pause(graph.name(node));
        if (state.get(local) != RUNNING) {
            // The phase deadline passed since this node started: it is already timed out, and its resource must not
            // start dropping after the coordinator has reported it and moved on.
            ready.resume();
            return;
        }
        CompletionStage<Void> stage;
        try {
            stage = plan.resource(node).asyncDrop();
        }
        catch (Throwable ex) {
            ready.resume();
            finish(local, DropOutcome.FAILED, ex);
            return;
        }
        ready.resume();
        if (stage == null) {
            finish(local, DropOutcome.FAILED, new AsyncDropException("'" + graph.name(node)
                    + "' returned null from asyncDrop(); return a stage, for example "
                    + "CompletableFuture.completedFuture(null) when there is nothing to wait for"));
        }
        else if (CompletedStages.isKnownDone(stage)) {
            finishCompleted(local, CompletedStages.failureOf(stage));
        }
        else {
            try {
                stage.whenComplete((ignored, failure) -> finishCompleted(local, failure));
            }
            catch (Throwable ex) {
                // A hand-made CompletionStage that cannot take a callback would otherwise hang this drop.
                finish(local, DropOutcome.FAILED, ex);
            }
        }
    }

    private void finishCompleted(int local, @Nullable Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause == null) {
            finish(local, DropOutcome.DROPPED, null);
        }
        else {
            finish(local, DropOutcome.FAILED, cause);
        }
    }

    private void finish(int local, DropOutcome outcome, @Nullable Throwable failure) {
        long now = System.nanoTime();
        if (!state.compareAndSet(local, RUNNING, DONE)) {
            return;
        }
        dropEnd[local] = now;
        outcomes[local] = outcome;
        failures[local] = failure;
        if (timers != null) {
            ScheduledFuture<?> timer = timers.get(local);
            if (timer != null) {
                timer.cancel(false);
            }
        }
        int node = nodes[local];
        events.dropFinished(local, graph.name(node), outcome, failure);
        if (outcome == DropOutcome.TIMED_OUT) {
            DropTimeoutHook.callOffThread(graph.name(node), plan.resource(node));
        }
        notifyFinished(local);
        boolean released = false;
        for (int k = graph.dependencyStart(node); k < graph.dependencyEnd(node); k++) {
            int dependency = graph.dependency(k);
            if (graph.phase(dependency) == phase) {
                int dependencyLocal = graph.localIndex(dependency);
                if (pendingDependents.decrementAndGet(dependencyLocal) == 0) {
                    ready.push(dependencyLocal);
                    released = true;
                }
            }
        }
        if (released) {
            ready.signalReleased();
        }
        if (remaining.decrementAndGet() == 0) {
            complete();
        }
    }

    private void skip(int local, long now) {
        if (!state.compareAndSet(local, WAITING, DONE)) {
            return;
        }
        // dropStart is left alone: a worker that lost the race may still write it.
        dropEnd[local] = now;
        outcomes[local] = DropOutcome.SKIPPED;
        events.dropSkipped(graph.name(nodes[local]));
        notifyFinished(local);
        if (remaining.decrementAndGet() == 0) {
            complete();
        }
    }

    private void passDeadline() {
        deadlinePassed = true;
        // Read after the flag is set, as complete() publishes the phase before reading the flag.
        boolean completedBefore = completion.isFinished();
        long now = System.nanoTime();
        for (int local = 0; local < nodes.length; local++) {
            skip(local, now);
            finish(local, DropOutcome.TIMED_OUT, null);
        }
        if (completedBefore) {
            // Every drop finished in time, and only listeners hold the phase: they get the same grace.
            completion.graceForListeners();
        }
    }

    private void notifyFinished(int local) {
        if (!listeners.isEmpty()) {
            listeners.onDropFinished(record(local));
        }
    }

    private DropRecord record(int local) {
        DropRecord record = records[local];
        if (record == null) {
            DropOutcome outcome = outcomes[local];
            long start = outcome == DropOutcome.SKIPPED ? dropEnd[local] : dropStart[local];
            record = new DropRecord(graph.name(nodes[local]), phase, outcome, Duration.ofNanos(start - originNanos),
                    Duration.ofNanos(dropEnd[local] - start), failures[local]);
            records[local] = record;
        }
        return record;
    }

    private void complete() {
        long end = System.nanoTime();
        DropRecord[] all = new DropRecord[nodes.length];
        // From the records alone: a deadline that passed after the last drop finished changes no outcome.
        boolean timedOut = false;
        boolean failed = false;
        for (int local = 0; local < nodes.length; local++) {
            all[local] = record(local);
            DropOutcome outcome = outcomes[local];
            timedOut |= outcome == DropOutcome.TIMED_OUT || outcome == DropOutcome.SKIPPED;
            failed |= outcome == DropOutcome.FAILED;
        }
        DropOutcome outcome = timedOut ? DropOutcome.TIMED_OUT : failed ? DropOutcome.FAILED : DropOutcome.DROPPED;
        Duration duration = Duration.ofNanos(end - startNanos);
        PhaseRecord summary = new PhaseRecord(phase, outcome, Duration.ofNanos(startNanos - originNanos), duration);
        events.phaseFinished(outcome);
        completion.finished(new FinishedPhase(summary, nodes, all), duration);
        // Read after the phase is published as finished, as passDeadline() does the other way round: at least one
        // of the two sees the other, so a phase whose listeners have not heard it is never left without a bound.
        if (deadlinePassed) {
            completion.graceForListeners();
        }
    }
}
