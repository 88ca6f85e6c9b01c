package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.support.ExecutorServiceAdapter;

import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * Drops an executor service: shuts it down, so that it takes no more tasks while those queued and running finish,
 * cancels the delayed and periodic tasks of a {@link ScheduledThreadPoolExecutor} (a task due in an hour must not
 * hold the shutdown), and completes once it has terminated, watched from the coordinator's shared timer rather than
 * by a thread of its own. When the drop times out it is shut down now: running tasks are interrupted, queued ones
 * cancelled. Used for plain {@code ExecutorService} beans and for the pools inside Spring's task executors.
 * Thread-safe.
 */
final class ExecutorServiceDrop extends AdaptedDrop {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final Supplier<@Nullable ExecutorService> executorService;

    private final @Nullable Duration ownTimeout;

    private final Runnable preparation;

    private final Runnable resumption;

    private volatile @Nullable ExecutorService dropped;

    private volatile @Nullable TerminationWatch watch;

    /**
     * Creates the drop of a bean.
     * @param name the bean's plan name
     * @param bean the bean
     * @param executorService gives the service to shut down when the drop starts, or {@code null} if there is none
     * (a Spring executor never initialized)
     * @param ownTimeout how long the bean's own configuration lets its shutdown take, or {@code null}
     * @param preparation prepares the bean when it joins a plan
     * @param resumption resumes the bean if it was paused
     */
    ExecutorServiceDrop(String name, Object bean, Supplier<@Nullable ExecutorService> executorService,
            @Nullable Duration ownTimeout, Runnable preparation, Runnable resumption) {
        super(name, bean, DropTier.EXECUTORS);
        this.executorService = executorService;
        this.ownTimeout = ownTimeout;
        this.preparation = preparation;
        this.resumption = resumption;
    }

    /**
     * Adapts every {@code ExecutorService} bean, except Spring's view of a task executor as one, which stops with the
     * executor it wraps, and the JVM's common {@code ForkJoinPool}, which never stops. A scheduled executor service
     * that is not a {@code ScheduledThreadPoolExecutor} (one that
     * {@code Executors.unconfigurableScheduledExecutorService} wraps) is warned about as it is prepared. Spring's
     * inferred {@code close()} of the bean (Java 19 and later), which waits for tasks that ignore interrupts, is taken
     * over.
     * @return the adapter
     */
    static DropAdapter executorServices() {
        return new DropAdapter() {

            @Override
            public boolean adapts(String name, Object bean) {
                if (bean == ForkJoinPool.commonPool()) {
                    // The JVM's: shutdown() leaves it running, so a drop would wait for its whole timeout.
                    logger.debug("Not dropping bean '" + name + "': it is the JVM's common ForkJoinPool, which is "
                            + "never shut down");
                    return false;
                }
                return adaptsType(name, bean.getClass());
            }

            @Override
            public boolean adaptsType(String name, Class<?> type) {
                return ExecutorService.class.isAssignableFrom(type)
                        && !ExecutorServiceAdapter.class.isAssignableFrom(type);
            }

            @Override
            public AdaptedDrop adapt(String name, Object bean) {
                ExecutorService executorService = (ExecutorService) bean;
                Runnable nothing = () -> {
                };
                Runnable preparation = (bean instanceof ScheduledExecutorService
                        && !(bean instanceof ScheduledThreadPoolExecutor)) ? () -> warnUnmanaged(name, bean) : nothing;
                return new ExecutorServiceDrop(name, bean, () -> executorService, null, preparation, nothing);
            }

            @Override
            public boolean replacesSpringClose() {
                return true;
            }
        };
    }

    /** A scheduled executor service that wraps its pool: its delayed tasks cannot be cancelled as it shuts down. */
    private static void warnUnmanaged(String name, Object bean) {
        logger.warn("ScheduledExecutorService bean '" + name + "' (" + bean.getClass().getName() + ") wraps a pool "
                + "that async-drop cannot reach: its drop shuts it down, but cannot cancel its delayed tasks, so its "
                + "delayed tasks still run before it terminates, and may hold its drop until its timeout. Expose the "
                + "ScheduledThreadPoolExecutor itself as the bean, or use Spring's ThreadPoolTaskScheduler.");
    }

    @Override
    void prepare() {
        preparation.run();
    }

    @Override
    void resume() {
        resumption.run();
    }

    @Override
    @Nullable Duration ownTimeout() {
        return ownTimeout;
    }

    @Override
    protected CompletionStage<Void> startDrop() {
        // A paused pool's workers would wait for a resume that never comes, and the drop for its timeout.
        resume();
        ExecutorService service = executorService.get();
        if (service == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (service instanceof ScheduledThreadPoolExecutor scheduled) {
            // Applied by shutdown(): delayed and periodic tasks are removed from the queue and cancelled, so whoever
            // waits for them hears at once; tasks already due still run.
            scheduled.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduled.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        }
        dropped = service;
        service.shutdown();
        TerminationWatch started = TerminationWatch.start(service);
        watch = started;
        return started.terminated();
    }

    @Override
    public void onDropTimeout() {
        TerminationWatch started = watch;
        if (started != null) {
            started.stop();
        }
        ExecutorService service = dropped;
        if (service != null) {
            for (Runnable task : service.shutdownNow()) {
                // Whoever waits for a queued task's future hears that it will not run.
                if (task instanceof Future<?> future) {
                    future.cancel(true);
                }
            }
        }
    }

    @Override
    String kind() {
        return "Executor";
    }
}
