package dev.asyncdrop.internal.coordinator;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.Failures;
import dev.asyncdrop.internal.SafeLog;

/**
 * The resources of one {@link PhaseRun} that are ready to drop, and the workers that start them: a worker is handed
 * to the plan's executor, or to the shared daemon pool when that executor throws, whenever ready work waits and
 * nobody drains it.
 * <p>
 * Ready resources form an intrusive stack: each is pushed at most once, so a plain compare-and-set on the head
 * cannot suffer from ABA, and pushing allocates nothing. A worker pops resources and starts each with the run's
 * start action; while that action is inside a resource's {@code asyncDrop()} it {@linkplain #pause() pauses} and
 * does not count as draining, so a drop that blocks holds up only itself.
 * Thread-safe.
 */
final class ReadyDrops {

    // The run's logger: what is said here is about the run, and whoever configured its logging expects it there.
    private static final System.Logger LOGGER = System.getLogger(PhaseRun.class.getName());

    private static final int EMPTY = -1;

    private final CompiledPlan plan;
    private final int phase;
    private final IntConsumer startDrop;

    private final int[] nextReady;
    private final AtomicInteger readyHead = new AtomicInteger(EMPTY);
    private final AtomicInteger drainers = new AtomicInteger();

    /**
     * Prepares an empty stack.
     * @param plan the plan, whose executor runs the workers
     * @param phase the phase, for the log
     * @param size how many resources the phase has, by local index
     * @param startDrop starts the drop of a resource, by local index; called by a draining worker
     */
    ReadyDrops(CompiledPlan plan, int phase, int size, IntConsumer startDrop) {
        this.plan = plan;
        this.phase = phase;
        this.startDrop = startDrop;
        this.nextReady = new int[size];
    }

    /**
     * Pushes a resource that has become ready; {@link #signal()} then sees that it gets a worker.
     * @param local the resource's local index, pushed at most once
     */
    void push(int local) {
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
     * Makes sure someone drains the stack when it has work and nobody drains it. Never throws: it is called where a
     * drop finishes, which must go on to complete the phase.
     * @return {@code null}, or why no thread could be had for the drops: then the ready resources wait for the
     * deadline, or for the next drop to finish
     */
    @Nullable Throwable signal() {
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

    /** Signals for the resources a finished drop made ready, and logs it if no thread could be had for them. */
    void signalReleased() {
        Throwable noThread = signal();
        if (noThread != null) {
            SafeLog.log(LOGGER, Level.ERROR, "No thread could be had to drop the resources of phase " + phase
                    + " that are now ready; they wait for the next drop to finish or for the deadline", noThread);
        }
    }

    /**
     * Stops counting the calling worker as draining, before it calls a resource's {@code asyncDrop()}, which may
     * block despite its contract; if then nobody drains, another worker is started. Followed by {@link #resume()}.
     * @param dropping the name of the resource about to drop, for the log
     */
    void pause(String dropping) {
        if (drainers.decrementAndGet() == 0) {
            Throwable noThread = signal();
            if (noThread != null) {
                SafeLog.log(LOGGER, Level.ERROR, "No thread could be had to drop the other ready resources of phase "
                        + phase + " while '" + dropping + "' drops; they wait for it", noThread);
            }
        }
    }

    /** Counts the calling worker as draining again, after {@link #pause(String)}. */
    void resume() {
        drainers.incrementAndGet();
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
            startDrop.accept(local);
        }
    }
}
