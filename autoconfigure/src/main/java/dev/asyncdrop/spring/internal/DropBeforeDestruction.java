package dev.asyncdrop.spring.internal;

import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;

import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * One destruction callback for all of a context's droppable singletons, in place of one per bean. Registered with
 * the bean factory as a disposable bean that every droppable singleton has as a dependent, so Spring destroys it
 * before any of them, and before anything they use: whatever starts the destruction (a refresh that failed, or a
 * close that Spring stopped waiting for) first drops what is still due and waits for it. Spring's destroy walk then
 * passes over the droppable beans as over any bean without a destroy method. Thread-safe.
 */
final class DropBeforeDestruction implements DisposableBean {

    /** The name it is registered under: a class name, so that no bean of the application can have it. */
    static final String NAME = DropBeforeDestruction.class.getName();

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private static final String DESTROY_SINGLETONS = "destroySingletons";

    private final BooleanSupplier dropBeforeDestruction;

    /** The beans it guarded when a destruction that was not a shutdown used it up, to guard them again. */
    private String @Nullable [] disarmed;

    private volatile @Nullable DefaultSingletonBeanRegistry registry;

    /**
     * Creates the callback.
     * @param dropBeforeDestruction drops what is still due and waits for it, returning {@code true}; or returns
     * {@code false} at once when the context runs and only some beans are destroyed
     */
    DropBeforeDestruction(BooleanSupplier dropBeforeDestruction) {
        this.dropBeforeDestruction = dropBeforeDestruction;
    }

    /**
     * Registers this callback with a bean factory.
     * @param beanFactory the bean factory whose droppable singletons it guards
     */
    void register(ConfigurableListableBeanFactory beanFactory) {
        if (beanFactory instanceof DefaultSingletonBeanRegistry singletons) {
            this.registry = singletons;
            singletons.registerDisposableBean(NAME, this);
        }
        else {
            logger.debug("Cannot drop the beans before they are destroyed after a failed refresh: " + beanFactory
                    + " is not a DefaultSingletonBeanRegistry");
        }
    }

    /**
     * Makes this callback run before a singleton is destroyed.
     * @param beanName the singleton's bean name
     */
    void guard(String beanName) {
        DefaultSingletonBeanRegistry registry = this.registry;
        if (registry != null) {
            registry.registerDependentBean(beanName, NAME);
        }
    }

    /**
     * Registers this callback again if a bean destroyed while the context ran used it up: Spring forgets a
     * destroyed bean as a dependent of any other. Called when the context starts to close, before destruction.
     */
    synchronized void rearm() {
        DefaultSingletonBeanRegistry registry = this.registry;
        String[] guarded = this.disarmed;
        if (registry != null && guarded != null) {
            this.disarmed = null;
            registry.registerDisposableBean(NAME, this);
            for (String beanName : guarded) {
                registry.registerDependentBean(beanName, NAME);
            }
        }
    }

    @Override
    public void destroy() {
        DefaultSingletonBeanRegistry registry = this.registry;
        if (!dropBeforeDestruction.getAsBoolean() && registry != null) {
            // Spring forgets what this callback guarded only once this method has returned.
            String[] guarded = registry.getDependenciesForBean(NAME);
            synchronized (this) {
                this.disarmed = guarded;
            }
        }
    }

    /**
     * Whether the current thread destroys every singleton of a bean factory ({@code destroySingletons()}), as a close
     * or a failed refresh does, rather than one bean on its own. Spring has no public flag for it, and a refresh that
     * a listener fails after {@code ContextRefreshedEvent} looks like a running context otherwise.
     * @return whether a bean factory's singletons are all being destroyed on this thread
     */
    static boolean destroyingEverySingleton() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.anyMatch(frame -> DESTROY_SINGLETONS.equals(frame.getMethodName())
                        && DefaultSingletonBeanRegistry.class.isAssignableFrom(frame.getDeclaringClass())));
    }

    @Override
    public String toString() {
        return "async-drop's drops before destruction";
    }
}
