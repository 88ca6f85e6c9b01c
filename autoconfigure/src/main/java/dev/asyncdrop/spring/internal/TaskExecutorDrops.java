package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.DirectFieldAccessor;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * Adapts Spring's own executors and schedulers ({@code async-drop.adapters.task-executors}): every
 * {@link ExecutorConfigurationSupport} ({@code ThreadPoolTaskExecutor}, {@code ThreadPoolTaskScheduler}, Spring
 * Boot's {@code applicationTaskExecutor} and {@code taskScheduler}) and {@link SimpleAsyncTaskExecutor} (Spring
 * Boot's executor on virtual threads).
 * <p>
 * A pool-based executor joins the plan with {@code acceptTasksAfterContextClose} set, which keeps it taking tasks
 * through the drops that come before its own (Spring would otherwise shut it down, or a scheduler at least, when the
 * context closes) and skips its own lifecycle stop; its drop is an {@link ExecutorServiceDrop} of its pool, and
 * Spring's {@code destroy()} afterwards finds the pool terminated. An executor that a stop or pause of the context
 * paused is resumed when the drops begin, so that it runs the tasks it holds and those the earlier drops give it. Its
 * own await-termination period is its drop timeout by default. An executor that the application itself set to accept
 * tasks after the context closes is left to Spring, which shuts it down when it destroys it, after other beans' destroy
 * callbacks may have used it.
 * <p>
 * A {@code SimpleAsyncTaskExecutor} has no queue and no termination to watch: its drop counts the tasks it runs
 * through a task decorator (see {@link SimpleAsyncExecutorDrop}). Thread-safe.
 */
final class TaskExecutorDrops implements DropAdapter {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    @Override
    public boolean adapts(String name, Object bean) {
        if (bean instanceof ExecutorConfigurationSupport support) {
            return !Boolean.TRUE.equals(field(support, "acceptTasksAfterContextClose"));
        }
        // Its own task decorator must be kept in front of the drop's: one that cannot be read is not replaced.
        return bean instanceof SimpleAsyncTaskExecutor && readable(bean, "taskDecorator");
    }

    @Override
    public boolean adaptsType(String name, Class<?> type) {
        return ExecutorConfigurationSupport.class.isAssignableFrom(type)
                || SimpleAsyncTaskExecutor.class.isAssignableFrom(type);
    }

    @Override
    public AdaptedDrop adapt(String name, Object bean) {
        if (bean instanceof ExecutorConfigurationSupport support) {
            Object awaitMillis = field(support, "awaitTerminationMillis");
            Duration ownTimeout = (awaitMillis instanceof Long millis && millis > 0) ? Duration.ofMillis(millis) : null;
            return new ExecutorServiceDrop(name, bean, () -> executorServiceOf(name, support), ownTimeout,
                    () -> support.setAcceptTasksAfterContextClose(true), () -> resume(name, support));
        }
        return new SimpleAsyncExecutorDrop(name, (SimpleAsyncTaskExecutor) bean,
                (TaskDecorator) field(bean, "taskDecorator"));
    }

    /**
     * Resumes an executor that a stop of the context (or, on Spring Framework 7, a pause) has paused: its pool then
     * holds the tasks it is given, and runs none until a start. {@code start()} only resumes, on Spring Framework 6.1
     * and later alike; it does not bring a pool that was shut down back.
     */
    private static void resume(String name, ExecutorConfigurationSupport support) {
        try {
            support.start();
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot resume executor '" + name + "'", ex);
        }
    }

    private static @Nullable ExecutorService executorServiceOf(String name, ExecutorConfigurationSupport support) {
        try {
            if (support instanceof ThreadPoolTaskExecutor executor) {
                return executor.getThreadPoolExecutor();
            }
            if (support instanceof ThreadPoolTaskScheduler scheduler) {
                return scheduler.getScheduledExecutor();
            }
            if (support instanceof FactoryBean<?> factory && factory.getObject() instanceof ExecutorService service) {
                return service;
            }
        }
        catch (Exception ex) {
            // Not initialized: there is no pool to drop.
            logger.debug("No pool to drop in executor '" + name + "'", ex);
            return null;
        }
        // A subclass of Spring's whose pool is not exposed: it can be shut down, but not watched.
        logger.debug("Cannot watch the termination of executor '" + name + "' (" + support.getClass().getName()
                + "): shutting it down without waiting");
        support.initiateShutdown();
        return null;
    }

    /**
     * Reads a setting that Spring's executors keep in a field without a getter.
     * @param bean the executor
     * @param field the field's name
     * @return its value, or {@code null} if it cannot be read (another version of Spring, or a module that does not
     * open it): the defaults then apply
     */
    static @Nullable Object field(Object bean, String field) {
        try {
            return new DirectFieldAccessor(bean).getPropertyValue(field);
        }
        catch (RuntimeException ex) {
            if (logger.isDebugEnabled()) {
                logger.debug("Cannot read '" + field + "' of " + bean.getClass().getName() + ": " + ex);
            }
            return null;
        }
    }

    private static boolean readable(Object bean, String field) {
        try {
            new DirectFieldAccessor(bean).getPropertyValue(field);
            return true;
        }
        catch (RuntimeException ex) {
            logger.debug("Not dropping executor " + bean + ": cannot read its '" + field + "'", ex);
            return false;
        }
    }
}
