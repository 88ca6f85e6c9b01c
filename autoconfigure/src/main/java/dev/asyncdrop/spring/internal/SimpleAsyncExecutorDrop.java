package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Drops a {@link SimpleAsyncTaskExecutor}, such as Spring Boot's executor on virtual threads: its {@code close()}
 * rejects new tasks and waits for the running ones, at most its task termination timeout, then interrupts them. That
 * wait is the only signal it gives, so it runs on a drop thread; a drop timeout interrupts it, which interrupts the
 * tasks. Closing it again, as Spring's own destruction does, has no effect. Thread-safe.
 */
final class SimpleAsyncExecutorDrop extends BlockingDrop {

    private final SimpleAsyncTaskExecutor executor;

    private final Duration dropTimeout;

    private final @Nullable Duration ownTimeout;

    private final boolean tracksTasks;

    /**
     * Creates the drop of an executor.
     * @param name its plan name
     * @param executor the executor
     * @param blockingExecutor runs the blocking close
     * @param dropTimeout the longest its drop may take as configured, its task termination timeout if it has none
     */
    SimpleAsyncExecutorDrop(String name, SimpleAsyncTaskExecutor executor, Executor blockingExecutor,
            Duration dropTimeout) {
        super(name, executor, DropTier.EXECUTORS, blockingExecutor);
        this.executor = executor;
        this.dropTimeout = dropTimeout;
        Object timeout = TaskExecutorDrops.field(executor, "taskTerminationTimeout");
        this.ownTimeout = (timeout instanceof Long millis && millis > 0) ? Duration.ofMillis(millis) : null;
        this.tracksTasks = ownTimeout != null
                || Boolean.TRUE.equals(TaskExecutorDrops.field(executor, "cancelRemainingTasksOnClose"));
    }

    /**
     * Has the executor track the tasks it starts from now on, if it does not already, so that its close waits for
     * them. One set to cancel its tasks on close keeps doing so.
     */
    @Override
    void prepare() {
        if (!tracksTasks) {
            executor.setTaskTerminationTimeout(dropTimeout.toMillis());
        }
    }

    @Override
    @Nullable Duration ownTimeout() {
        return ownTimeout;
    }

    @Override
    protected void runBlocking() {
        executor.close();
    }

    @Override
    String kind() {
        return "Executor";
    }
}
