package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;

/**
 * Drops a {@link SimpleAsyncTaskExecutor}, such as Spring Boot's executor on virtual threads. It starts a thread per
 * task and keeps no queue, and it knows which tasks run only if it has a task termination timeout, from when they
 * start: a task submitted just before its {@code close()} may not have started yet, and is then cancelled. So the
 * drop counts tasks itself, from their submission: when the executor joins the plan, a task decorator is put in
 * front of its own (which still decorates every task). The drop has that decorator reject new tasks and completes
 * when the last task submitted before has ended, without a thread waiting for it; a drop timeout interrupts the
 * tasks still running. Spring's own {@code close()} afterwards finds nothing left to wait for. Thread-safe.
 */
final class SimpleAsyncExecutorDrop extends AdaptedDrop {

    private final SimpleAsyncTaskExecutor executor;

    private final TaskCounter tasks;

    private final @Nullable Duration ownTimeout;

    /**
     * Creates the drop of an executor.
     * @param name its plan name
     * @param executor the executor
     * @param decorator the executor's own task decorator, or {@code null} if it has none
     */
    SimpleAsyncExecutorDrop(String name, SimpleAsyncTaskExecutor executor, @Nullable TaskDecorator decorator) {
        super(name, executor, DropTier.EXECUTORS);
        this.executor = executor;
        this.tasks = new TaskCounter(name, decorator);
        Object timeout = TaskExecutorDrops.field(executor, "taskTerminationTimeout");
        this.ownTimeout = (timeout instanceof Long millis && millis > 0) ? Duration.ofMillis(millis) : null;
    }

    /** Counts the executor's tasks from now on. */
    @Override
    void prepare() {
        executor.setTaskDecorator(tasks);
    }

    @Override
    @Nullable Duration ownTimeout() {
        return ownTimeout;
    }

    @Override
    protected CompletionStage<Void> startDrop() {
        return tasks.close();
    }

    @Override
    public void onDropTimeout() {
        tasks.interruptRunning();
    }

    @Override
    String kind() {
        return "Executor";
    }

    /** Decorates every task the executor takes: counts it from its submission to its end. */
    private static final class TaskCounter implements TaskDecorator {

        private final String name;

        private final @Nullable TaskDecorator decorator;

        /** Tasks submitted and not ended. */
        private final AtomicInteger inFlight = new AtomicInteger();

        private final Set<Thread> running = ConcurrentHashMap.newKeySet();

        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        private volatile boolean closed;

        TaskCounter(String name, @Nullable TaskDecorator decorator) {
            this.name = name;
            this.decorator = decorator;
        }

        @Override
        public Runnable decorate(Runnable task) {
            // Counted before closed is read, and close() sets closed before it reads the count: a task is either
            // rejected or waited for.
            inFlight.incrementAndGet();
            if (closed) {
                taskEnded();
                throw new TaskRejectedException("Executor '" + name + "' has been dropped and takes no more tasks");
            }
            Runnable decorated;
            try {
                decorated = (decorator != null) ? decorator.decorate(task) : task;
            }
            catch (RuntimeException | Error ex) {
                taskEnded();
                throw ex;
            }
            return () -> {
                Thread thread = Thread.currentThread();
                running.add(thread);
                try {
                    decorated.run();
                }
                finally {
                    running.remove(thread);
                    taskEnded();
                }
            };
        }

        private void taskEnded() {
            if (inFlight.decrementAndGet() == 0 && closed) {
                ended.complete(null);
            }
        }

        /** @return a future completed once every task submitted before has ended */
        CompletableFuture<Void> close() {
            closed = true;
            if (inFlight.get() == 0) {
                ended.complete(null);
            }
            return ended;
        }

        void interruptRunning() {
            running.forEach(Thread::interrupt);
        }
    }
}
