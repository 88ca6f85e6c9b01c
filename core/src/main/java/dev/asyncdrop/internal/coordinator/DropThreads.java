package dev.asyncdrop.internal.coordinator;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every plan shares: a pool that grows on demand (so a drop that blocks in {@code asyncDrop()} takes
 * only its own thread) and one timer thread. All are daemon threads and idle pool threads die, so the JVM can exit
 * whatever a plan is doing. Thread-safe.
 */
public final class DropThreads {

    private DropThreads() {
    }

    /** @return the shared pool of daemon threads */
    public static Executor pool() {
        return Shared.POOL;
    }

    /**
     * Runs a task on the shared pool after a delay. The timer thread only hands the task over, so a slow task can
     * never delay another plan's deadline. When the pool cannot take it (no thread can be created), the timer thread
     * runs the task itself: a deadline that never fired would leave its phase waiting forever.
     * @param task the task, which must not block
     * @param delayNanos the delay
     * @return a handle to cancel it; cancelled timers are removed at once, so many short-lived timers do not pile up
     */
    public static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return Shared.TIMER.schedule(() -> {
            try {
                Shared.POOL.execute(task);
            }
            catch (RuntimeException | Error ex) {
                task.run();
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** @return how many timers are waiting to fire: cancelled ones are not counted, they are removed at once */
    public static int pendingTimers() {
        return Shared.TIMER.getQueue().size();
    }

    private static final class Shared {

        static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("async-drop-"));

        static final ScheduledThreadPoolExecutor TIMER = timer();

        private static ScheduledThreadPoolExecutor timer() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("async-drop-timer-"));
            timer.setRemoveOnCancelPolicy(true);
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            return timer;
        }

        private static ThreadFactory daemonThreads(String prefix) {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, prefix + count.incrementAndGet());
                thread.setDaemon(true);
                // These threads outlive the application that happened to start them: they must not pin its class
                // loader after a redeploy or a development-time restart.
                thread.setContextClassLoader(null);
                return thread;
            };
        }
    }
}
