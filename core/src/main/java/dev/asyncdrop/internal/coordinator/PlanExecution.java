package dev.asyncdrop.internal.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.AsyncDropException;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.PhaseRecord;

/**
 * The execution state of one plan: each phase runs at most once, whoever asks for it first starts it, and a phase
 * never starts while a higher one is still running. Offsets of every phase are relative to the start of the first
 * phase run. Thread-safe: every method may be called from any thread, any number of times.
 */
public final class PlanExecution {

    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final CompiledPlan plan;

    private final AtomicReferenceArray<@Nullable CompletableFuture<FinishedPhase>> phaseRuns;

    private final AtomicLong originNanos = new AtomicLong(NOT_STARTED);

    /** @param plan the plan to execute */
    public PlanExecution(CompiledPlan plan) {
        this.plan = plan;
        this.phaseRuns = new AtomicReferenceArray<>(plan.phaseCount());
    }

    /**
     * Runs every phase, highest first, each after the previous one completed however it completed; phases already
     * run are not run again.
     * @return a new future completed once the last phase has completed, never exceptionally
     */
    public CompletableFuture<Void> runAll() {
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < this.plan.phaseCount(); i++) {
            int phaseIndex = i;
            // handle(), not thenCompose(): a phase that ended badly must not keep the lower phases from dropping.
            chain = chain.handle((ignored, failure) -> run(phaseIndex)).thenCompose(Function.identity());
        }
        return chain.handle((ignored, failure) -> null);
    }

    /**
     * Runs one phase unless it already ran or runs; if a higher phase is still running, this one starts once it has
     * completed.
     * @param phaseIndex the index of the phase among the plan's phases
     * @return the future of the phase's one run; never completed exceptionally: a phase that cannot start ends
     * with every resource {@code FAILED}
     */
    public CompletableFuture<FinishedPhase> run(int phaseIndex) {
        CompletableFuture<FinishedPhase> run = this.phaseRuns.get(phaseIndex);
        if (run != null) {
            return run;
        }
        CompletableFuture<FinishedPhase> created = new CompletableFuture<>();
        if (!this.phaseRuns.compareAndSet(phaseIndex, null, created)) {
            return Objects.requireNonNull(this.phaseRuns.get(phaseIndex));
        }
        List<CompletableFuture<FinishedPhase>> higherRunning = new ArrayList<>();
        for (int higher = 0; higher < phaseIndex; higher++) {
            CompletableFuture<FinishedPhase> higherRun = this.phaseRuns.get(higher);
            if (higherRun != null && !higherRun.isDone()) {
                higherRunning.add(higherRun);
            }
        }
        if (higherRunning.isEmpty()) {
            start(phaseIndex, created);
        }
        else {
            CompletableFuture.allOf(higherRunning.toArray(new CompletableFuture<?>[0]))
                    .whenComplete((ignored, failure) -> start(phaseIndex, created));
        }
        return created;
    }

    /** @return every phase run that has completed, highest phase first */
    public List<FinishedPhase> finishedPhases() {
        List<FinishedPhase> finished = new ArrayList<>(this.plan.phaseCount());
        for (int i = 0; i < this.plan.phaseCount(); i++) {
            CompletableFuture<FinishedPhase> run = this.phaseRuns.get(i);
            if (run != null && run.isDone() && !run.isCompletedExceptionally()) {
                finished.add(run.join());
            }
        }
        return finished;
    }

    private void start(int phaseIndex, CompletableFuture<FinishedPhase> completion) {
        long start = System.nanoTime();
        this.originNanos.compareAndSet(NOT_STARTED, start);
        PhaseRun run;
        try {
            run = new PhaseRun(this.plan, phaseIndex, this.originNanos.get(), start, completion);
        }
        catch (Throwable ex) {
            // Not even the run could be made: the records say so, with no listener told, as nothing could be.
            completion.complete(couldNotStart(phaseIndex, start, ex));
            return;
        }
        // Fails its resources itself when it cannot start them.
        run.start();
    }

    private FinishedPhase couldNotStart(int phaseIndex, long start, Throwable cause) {
        int phase = this.plan.phase(phaseIndex);
        AsyncDropException failure = PhaseRun.couldNotStart(phase, cause);
        int[] nodes = this.plan.graph().phaseNodes(phaseIndex);
        Duration offset = Duration.ofNanos(start - this.originNanos.get());
        DropRecord[] records = new DropRecord[nodes.length];
        for (int local = 0; local < nodes.length; local++) {
            records[local] = new DropRecord(this.plan.graph().name(nodes[local]), phase, DropOutcome.FAILED, offset,
                    Duration.ZERO, failure);
        }
        DropOutcome outcome = (nodes.length == 0) ? DropOutcome.DROPPED : DropOutcome.FAILED;
        return new FinishedPhase(new PhaseRecord(phase, outcome, offset, Duration.ZERO), nodes, records);
    }
}
