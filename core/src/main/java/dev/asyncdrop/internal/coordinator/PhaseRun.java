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
import dev.asyncdrop.AsyncDroppable;
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
 * dependencies and pushes each that reaches zero onto a ready stack. Workers on the executor pop ready nodes and
 * call {@code asyncDrop()}. A drop whose stage is already complete is finished on the spot and its dependencies are
 * pushed onto the stack, so a chain of instant drops runs in a loop, never recursively. While a worker is inside
 * {@code asyncDrop()} it does not count as draining the stack; if ready work is waiting and no one else drains, a
 * new worker is started, so a drop that blocks in {@code asyncDrop()} holds up only itself.
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

    private static final int EMPTY = -1;

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

    // Ready nodes form an intrusive stack: each node is pushed at most once, so a plain compare-and-set on the head
    // cannot suffer from ABA, and pushing allocates nothing.
    private final int[] nextReady;
    private final AtomicInteger readyHead = new AtomicInteger(EMPTY);
    private final AtomicInteger drainers = new AtomicInteger();

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
        this.nextReady = new int[size];
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
                    push(local);
                    any = true;
                }
            }
            cause = any ? signal() : null;
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
            try {
                if (!listeners.isEmpty()) {
                    listeners.onDropStarted(graph.name(nodes[local]), phase);
                }
            }
            finally {
                state.set(local, RUNNING);
            }
            finish(local, DropOutcome.FAILED, failure);
        }
    }

    private void push(int local) {
        int head;
        do {
            head = readyHead.get();
            nextReady[local] = head;
        }
        while (!readyHead.compareAndSet(head, local));
    }

    private int pop() {
        for (;;) {
            int head = readyHead.get();
            if (head == EMPTY) {
                return EMPTY;
            }
            if (readyHead.compareAndSet(head, nextReady[head])) {
                return head;
            }
        }
    }

    /**
     * Makes sure someone drains the ready stack when it has work and nobody drains it. Never throws: it is called
     * where a drop finishes, which must go on to complete the phase.
     * @return {@code null}, or why no thread could be had for the drops: then the ready resources wait for the
     * deadline, or for the next drop to finish
     */
    private @Nullable Throwable signal() {
        if (drainers.get() == 0 && readyHead.get() != EMPTY && drainers.compareAndSet(0, 1)) {
            try {
                try {
                    plan.executor().execute(this::drain);
                }
                catch (RuntimeException ex) {
                    // RejectedExecutionException, mostly; whatever the executor throws, the resources must drop.
                    SafeLog.log(LOGGER, Level.WARNING, "The drop executor rejected work (" + Failures.describe(ex)
                            + "); dropping phase " + phase + " on the shared drop threads instead. Give the plan an "
                            + "executor that outlives it.");
                    DropThreads.pool().execute(this::drain);
                }
            }
            catch (Throwable ex) {
                drainers.decrementAndGet();
                return ex;
            }
        }
        return null;
    }

    private void drain() {
        for (;;) {
            int local = pop();
            if (local == EMPTY) {
                drainers.decrementAndGet();
                // A push may have seen this worker still draining and not signalled: look once more.
                if (readyHead.get() == EMPTY || !drainers.compareAndSet(0, 1)) {
                    return;
                }
                continue;
            }
            startDrop(local);
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
        try {
            if (!listeners.isEmpty()) {
                listeners.onDropStarted(graph.name(node), phase);
            }
        }
        finally {
            state.set(local, RUNNING);
        }
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
        if (drainers.decrementAndGet() == 0) {
            Throwable noThread = signal();
            if (noThread != null) {
                SafeLog.log(LOGGER, Level.ERROR, "No thread could be had to drop the other ready resources of phase "
                        + phase + " while '" + graph.name(node) + "' drops; they wait for it", noThread);
            }
        }
        if (state.get(local) != RUNNING) {
            // The phase deadline passed since this node started: it is already timed out, and its resource must not
            // start dropping after the coordinator has reported it and moved on.
            drainers.incrementAndGet();
            return;
        }
        CompletionStage<Void> stage;
        try {
            stage = plan.resource(node).asyncDrop();
        }
        catch (Throwable ex) {
            drainers.incrementAndGet();
            finish(local, DropOutcome.FAILED, ex);
            return;
        }
        drainers.incrementAndGet();
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
            AsyncDroppable resource = plan.resource(node);
            String name = graph.name(node);
            // The hook must not block, but if it does, it must hold up neither this phase nor the timer.
            DropThreads.pool().execute(() -> callTimeoutHook(name, resource));
        }
        notifyFinished(local);
        boolean released = false;
        for (int k = graph.dependencyStart(node); k < graph.dependencyEnd(node); k++) {
            int dependency = graph.dependency(k);
            if (graph.phase(dependency) == phase) {
                int dependencyLocal = graph.localIndex(dependency);
                if (pendingDependents.decrementAndGet(dependencyLocal) == 0) {
                    push(dependencyLocal);
                    released = true;
                }
            }
        }
        if (released) {
            Throwable noThread = signal();
            if (noThread != null) {
                SafeLog.log(LOGGER, Level.ERROR, "No thread could be had to drop the resources of phase " + phase
                        + " that are now ready; they wait for the next drop to finish or for the deadline",
                        noThread);
            }
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

    private void callTimeoutHook(String name, AsyncDroppable resource) {
        try {
            resource.onDropTimeout();
        }
        catch (Throwable ex) {
            SafeLog.log(LOGGER, Level.WARNING, "onDropTimeout() of '" + name + "' threw; ignoring it", ex);
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
