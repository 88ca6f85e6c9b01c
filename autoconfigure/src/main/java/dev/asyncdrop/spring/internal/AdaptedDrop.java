package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import dev.asyncdrop.AsyncDroppable;

/**
 * What the plan drops in place of a bean that an adapter brings into it. The drop starts at most once: a second
 * {@link #asyncDrop()} returns the first one's stage, and {@link #hasStarted()} tells Spring's destruction of the
 * bean that there is nothing left for it to close. Thread-safe.
 */
abstract class AdaptedDrop implements AsyncDroppable, AdaptedBean {

    private final String name;

    private final Object bean;

    private final DropTier tier;

    private @Nullable CompletionStage<Void> stage;

    AdaptedDrop(String name, Object bean, DropTier tier) {
        this.name = Objects.requireNonNull(name, "'name' must not be null");
        this.bean = Objects.requireNonNull(bean, "'bean' must not be null");
        this.tier = Objects.requireNonNull(tier, "'tier' must not be null");
    }

    @Override
    public final synchronized CompletionStage<Void> asyncDrop() {
        CompletionStage<Void> started = this.stage;
        if (started == null) {
            started = startDrop();
            this.stage = started;
        }
        return started;
    }

    /**
     * Starts the drop; called once. Must not block.
     * @return a stage completed when the bean has been dropped
     */
    protected abstract CompletionStage<Void> startDrop();

    /** @return whether the drop has started, so that nothing is left for Spring's own destruction of the bean */
    final synchronized boolean hasStarted() {
        return stage != null;
    }

    /**
     * Prepares the bean for being dropped, once, as the singleton is created (or, if it was registered directly, when
     * it joins the plan): for example, keeps an executor accepting tasks until its drop, or counts its tasks from the
     * first. Does nothing by default.
     */
    void prepare() {
    }

    /**
     * Lets the bean run the tasks it holds if something paused it (a stop, pause or checkpoint of the context before
     * it closes): called when the drops begin, since the drops before its own may hand it tasks, and again as its own
     * drop starts. Does nothing by default.
     */
    void resume() {
    }

    /**
     * @return how long the bean's own configuration lets its shutdown take, if it says: its drop timeout unless
     * {@code async-drop.resources.<bean>.timeout} is set
     */
    @Nullable Duration ownTimeout() {
        return null;
    }

    /** @return where the bean drops within its phase */
    final DropTier tier() {
        return tier;
    }

    /** @return the plan name of the bean */
    final String name() {
        return name;
    }

    /** @return the bean */
    final Object bean() {
        return bean;
    }

    @Override
    public final Class<?> beanType() {
        return ClassUtils.getUserClass(bean);
    }

    /** @return what kind of bean this is, for {@link #toString()}: {@code "Executor"}, {@code "AutoCloseable"} */
    abstract String kind();

    @Override
    public final String toString() {
        return kind() + " bean '" + name + "' (" + beanType().getName() + ")";
    }
}
