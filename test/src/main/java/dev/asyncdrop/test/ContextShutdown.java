package dev.asyncdrop.test;

import java.util.Arrays;
import java.util.Objects;

import org.springframework.context.ConfigurableApplicationContext;

import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * Closes a Spring application context that uses the async-drop starter and returns the report of the drops its
 * close made: which beans dropped, in which order, with which outcome.
 * <pre>{@code
 * DropReport report = ContextShutdown.closeAndReport(context);
 * DropAssertions.assertThat(report).hasNoFailures().droppedBefore("writer", "pool");
 * }</pre>
 * Works with any {@link ConfigurableApplicationContext}, including the one an {@code ApplicationContextRunner}
 * hands to its callback (closing it there is fine: the runner's own close then does nothing).
 * <p>
 * Thread-safe: it holds no state. Closing a context is Spring's business, on the calling thread.
 *
 * @since 0.1.0
 */
public final class ContextShutdown {

    private ContextShutdown() {
    }

    /**
     * Closes the context and returns the report of its drops. The report is read from the context's
     * {@link BeanDropCoordinator} bean, looked up before closing (a closed context hands out no beans).
     * @param context a running context with async-drop's auto-configuration
     * @return the report of every drop phase the close ran
     * @throws IllegalStateException if the context is already closed, was never refreshed, has no
     * {@link BeanDropCoordinator} (async-drop is missing or disabled) or more than one, or its coordinator reported
     * no drops
     */
    public static DropReport closeAndReport(ConfigurableApplicationContext context) {
        Objects.requireNonNull(context, "'context' must not be null");
        BeanDropCoordinator coordinator = coordinatorOf(context);
        context.close();
        return coordinator.lastReport().orElseThrow(() -> new IllegalStateException("Application context '"
                + context.getId() + "' closed, but its BeanDropCoordinator (" + coordinator.getClass().getName()
                + ") reported no drops. Only the coordinator of async-drop's auto-configuration reports them: "
                + "remove the BeanDropCoordinator bean the application defines."));
    }

    private static BeanDropCoordinator coordinatorOf(ConfigurableApplicationContext context) {
        if (context.isClosed()) {
            throw new IllegalStateException("Application context '" + context.getId() + "' is already closed, so "
                    + "its drops are over and their report can no longer be looked up. Pass the open context to "
                    + "closeAndReport, which closes it.");
        }
        if (!context.isActive()) {
            throw new IllegalStateException("Application context '" + context.getId() + "' has not been refreshed, "
                    + "so it has no beans to drop yet. Refresh it before calling closeAndReport.");
        }
        // This context's own beans only: a parent's coordinator does not report this context's drops.
        String[] names = context.getBeanNamesForType(BeanDropCoordinator.class);
        if (names.length == 0) {
            throw new IllegalStateException("Application context '" + context.getId() + "' has no "
                    + "BeanDropCoordinator bean, so async-drop does not drop its beans and there is no report. Add the "
                    + "async-drop-spring-boot-starter dependency (with an ApplicationContextRunner: "
                    + "withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))), and make sure "
                    + "async-drop.enabled is not false.");
        }
        if (names.length > 1) {
            throw new IllegalStateException("Application context '" + context.getId() + "' has "
                    + names.length + " BeanDropCoordinator beans " + Arrays.toString(names)
                    + "; keep only the one of async-drop's auto-configuration.");
        }
        return context.getBean(names[0], BeanDropCoordinator.class);
    }
}
