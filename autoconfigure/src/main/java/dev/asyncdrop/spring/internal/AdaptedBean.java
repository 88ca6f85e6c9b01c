package dev.asyncdrop.spring.internal;

import org.springframework.util.ClassUtils;

import dev.asyncdrop.AsyncDroppable;

/**
 * A resource of a context's drop plan that drops a bean which does not implement {@link AsyncDroppable} itself,
 * such as an executor or a connection pool. Descriptions of the plan (the actuator endpoint, the log) name the bean's
 * own type through {@link #typeOf(AsyncDroppable)}, never the adapter's. Implementations are thread-safe.
 *
 * @since 0.1.0
 */
public interface AdaptedBean {

    /** @return the class of the bean this resource drops, without the subclass a framework may have generated */
    Class<?> beanType();

    /**
     * The type to show for a resource of a plan.
     * @param resource a resource of a plan
     * @return the class of the bean it drops if it is an {@code AdaptedBean}, else its own class, in both cases
     * without the subclass a framework may have generated
     */
    static Class<?> typeOf(AsyncDroppable resource) {
        return (resource instanceof AdaptedBean adapted) ? adapted.beanType() : ClassUtils.getUserClass(resource);
    }
}
