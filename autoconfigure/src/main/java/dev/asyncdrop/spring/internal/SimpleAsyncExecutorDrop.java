package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;

/**
 * Drops a {@link SimpleAsyncTaskExecutor}, such as Spring Boot's executor on virtual threads. It starts a thread per
 * task and keeps no queue, and it knows which tasks run only if it has a task termination timeout, from when they
 * start: a task submitted just before its {@code close()} may not have started yet, and is then cancelled. So the
 * drop counts tasks itself, from the creation of their thread: when the executor is prepared, a task decorator is
 * put in front of its own (which still decorates every task). A task the executor refuses after decorating it (at
 * its concurrency limit, or when no thread can be created for it) is never counted. The drop has that decorator
 * reject new tasks and completes when the last task counted before has ended, without a thread waiting for it; a
 * drop timeout interrupts the tasks still running. Spring's own {@code close()} afterwards finds nothing left to wait
 * for. Thread-safe.
 */
final class SimpleAsyncExecutorDrop extends AdaptedDrop {

    /** The executor's method that creates a task's thread. */
    private static final String DO_EXECUTE = "doExecute";

    /** How deep below the creation of a thread its executor's {@code doExecute} may be. */
    private static final long MAX_CREATION_FRAMES = 32;

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

    /**
     * Decorates every task the executor takes, and counts it from the moment the executor has created its thread to
     * its end. A task is decorated before the executor creates its thread, and may still be refused then (at its
     * concurrency limit, or when no thread can be created): counted from its decoration, such a task would hold the
     * drop until its timeout, since nothing tells the decorator that it will never run. The creation of its thread
     * does: the submitting thread, which creates it, carries an inheritable thread local, whose
     * {@link InheritableThreadLocal#childValue} Spring's executor thereby calls. A thread created by a thread factory
     * that does not inherit them counts its task once it runs.
     */
    private static final class TaskCounter implements TaskDecorator {

        /** The task the current thread is handing to an executor, until the executor creates its thread. */
        private static final ThreadLocal<Submission> SUBMITTING = new ThreadLocal<>();

        /** Set on every thread that has submitted a task, to hear when that thread creates a thread. */
        private static final InheritableThreadLocal<Boolean> THREAD_CREATION = new InheritableThreadLocal<>() {

            @Override
            protected @Nullable Boolean childValue(Boolean parentValue) {
                Submission submission = SUBMITTING.get();
                // A submission refused earlier on this thread must not be counted for an unrelated thread.
                if (submission != null && createdByExecutor()) {
                    SUBMITTING.remove();
                    submission.count();
                }
                return null;
            }
        };

        private final String name;

        private final @Nullable TaskDecorator decorator;

        /** Tasks counted and not ended. */
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
            if (closed) {
                throw new TaskRejectedException("Executor '" + name + "' has been dropped and takes no more tasks");
            }
            Runnable decorated = (decorator != null) ? decorator.decorate(task) : task;
            Submission submission = new Submission(decorated);
            // Replaces a submission whose thread was never created: it was refused, and was never counted.
            SUBMITTING.set(submission);
            if (THREAD_CREATION.get() == null) {
                THREAD_CREATION.set(Boolean.TRUE);
            }
            return submission;
        }

        /** Whether the thread being created is created by a {@code SimpleAsyncTaskExecutor} for a task. */
        private static boolean createdByExecutor() {
            return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                    .walk(frames -> frames.limit(MAX_CREATION_FRAMES)
                            .anyMatch(frame -> SimpleAsyncTaskExecutor.class.isAssignableFrom(frame.getDeclaringClass())
                                    && DO_EXECUTE.equals(frame.getMethodName())));
        }

        private void taskEnded() {
            if (inFlight.decrementAndGet() == 0 && closed) {
                ended.complete(null);
            }
        }

        /** @return a future completed once every task counted before has ended */
        CompletableFuture<Void> close() {
            // Set before the count is read, and a task is counted before it runs: a task whose thread was created
            // before this is waited for.
            closed = true;
            if (inFlight.get() == 0) {
                ended.complete(null);
            }
            return ended;
        }

        void interruptRunning() {
            running.forEach(Thread::interrupt);
        }

        /** One task, counted once: when its thread is created, or else when it starts. */
        private final class Submission implements Runnable {

            private final Runnable task;

            private final AtomicBoolean counted = new AtomicBoolean();

            Submission(Runnable task) {
                this.task = task;
            }

            void count() {
                if (counted.compareAndSet(false, true)) {
                    inFlight.incrementAndGet();
                }
            }

            @Override
            public void run() {
                count();
                Thread thread = Thread.currentThread();
                running.add(thread);
                try {
                    task.run();
                }
                finally {
                    running.remove(thread);
                    taskEnded();
                }
            }
        }
    }
}
