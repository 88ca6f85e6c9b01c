package dev.asyncdrop.spring.internal;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.core.task.support.ExecutorServiceAdapter;

import dev.asyncdrop.AsyncDroppable;

/**
 * Drops an {@link ExecutorService} bean: shuts it down, so that the tasks it accepted finish, and waits for its
 * termination on a drop thread. When the drop times out it is shut down now, interrupting its workers. Shutting
 * down again, as Spring's inferred destroy method does later, has no effect (on Java 19 and later the inferred
 * method is {@code close()}, which waits for tasks that ignore interrupts, with or without this adapter). Spring's
 * own {@code ThreadPoolTaskExecutor} and schedulers are not {@code ExecutorService}s: they stop in their own
 * lifecycle phase, {@code Integer.MAX_VALUE / 2}, after the default drop phase. Thread-safe.
 */
final class ExecutorServiceDrop extends BlockingDrop {

    private final String beanName;

    private final ExecutorService executorService;

    ExecutorServiceDrop(String beanName, ExecutorService executorService, Executor executor) {
        super(executor);
        this.beanName = Objects.requireNonNull(beanName, "'beanName' must not be null");
        this.executorService = Objects.requireNonNull(executorService, "'executorService' must not be null");
    }

    /**
     * Adapts every {@code ExecutorService} bean, except Spring's view of a task executor as one, which stops with
     * the executor it wraps.
     * @param executor runs the blocking waits for termination
     * @return the adapter
     */
    static DropAdapter adapter(Executor executor) {
        return new DropAdapter() {

            @Override
            public boolean adapts(String name, Object bean) {
                return bean instanceof ExecutorService && !(bean instanceof ExecutorServiceAdapter);
            }

            @Override
            public AsyncDroppable adapt(String name, Object bean) {
                return new ExecutorServiceDrop(name, (ExecutorService) bean, executor);
            }
        };
    }

    @Override
    protected void runBlocking() throws InterruptedException {
        executorService.shutdown();
        while (!executorService.awaitTermination(1, TimeUnit.MINUTES)) {
            // Keep waiting: the coordinator's timeout, not this loop, decides when to give up.
        }
    }

    @Override
    protected void escalate() {
        executorService.shutdownNow();
    }

    @Override
    public String toString() {
        return "ExecutorService bean '" + beanName + "' (" + executorService.getClass().getName() + ")";
    }
}
