package dev.asyncdrop.spring.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * Hands the droppable beans that the plan cannot hold, prototypes and singletons created or registered after it was
 * built, to the context's {@link AsyncDropScope} bean, which drops what is left of them at shutdown before the
 * singletons they may use. It keeps no guard: an application that drops such a bean early takes it out of the scope
 * with {@link AsyncDropScope#untrack}. Thread-safe: beans are created on any thread.
 */
final class ScopeTracker {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final AtomicBoolean warnedAboutMissingScope = new AtomicBoolean();

    /** Bean names already warned about: a prototype may be created thousands of times while the context closes. */
    private final Set<String> warnedAboutLateBeans = ConcurrentHashMap.newKeySet();

    private volatile @Nullable ConfigurableListableBeanFactory beanFactory;

    private volatile @Nullable AsyncDropScope scope;

    void setBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Tracks a bean in the scope, if it is droppable: adapted beans are adapted only as singletons of the plan.
     * @param bean the bean
     * @param name its plan name
     * @param kind what kind of bean it is, for the log: {@code "prototype"} or {@code "lazy singleton"}
     */
    void track(Object bean, String name, String kind) {
        if (!(bean instanceof AsyncDroppable droppable)) {
            if (logger.isDebugEnabled()) {
                logger.debug("Not adapting " + kind + " bean '" + name + "': only singletons created at startup "
                        + "are adapted");
            }
            return;
        }
        AsyncDropScope scope = scope();
        if (scope == null) {
            if (warnedAboutMissingScope.compareAndSet(false, true)) {
                logger.warn("Cannot drop " + kind + " bean '" + name + "' at shutdown: the context has no unique "
                        + "AsyncDropScope bean to track it in");
            }
            return;
        }
        try {
            scope.track(droppable);
        }
        catch (IllegalStateException ex) {
            // Created by a drop, after the scope was dropped: failing the creation would fail that drop too.
            lateBean(name, kind);
            return;
        }
        if (logger.isTraceEnabled()) {
            logger.trace("Tracking " + kind + " bean '" + name + "' in the AsyncDropScope");
        }
    }

    private void lateBean(String name, String kind) {
        if (warnedAboutLateBeans.add(name)) {
            logger.warn("Not dropping " + kind + " bean '" + name + "': it was created after the AsyncDropScope "
                    + "was dropped, while the context shuts down (said once per bean name)");
        }
        else if (logger.isDebugEnabled()) {
            logger.debug("Not dropping " + kind + " bean '" + name + "': it was created after the AsyncDropScope "
                    + "was dropped");
        }
    }

    private @Nullable AsyncDropScope scope() {
        AsyncDropScope scope = this.scope;
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        if (scope == null && beanFactory != null) {
            try {
                scope = beanFactory.getBeanProvider(AsyncDropScope.class).getIfUnique();
            }
            catch (BeansException ex) {
                logger.debug("Cannot get the AsyncDropScope bean", ex);
            }
            this.scope = scope;
        }
        return scope;
    }
}
