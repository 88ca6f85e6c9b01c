package dev.asyncdrop.spring.internal;

import dev.asyncdrop.AsyncDroppable;

/**
 * One way of bringing beans that do not implement {@link AsyncDroppable} into the drops, such as executors or
 * connection pools. {@link DropCandidates} asks its adapters in order; the first that adapts a bean drops it.
 * Implementations are thread-safe.
 */
interface DropAdapter {

    /**
     * Whether this adapter drops a bean.
     * @param name the bean's plan name ({@code &name} for a factory bean itself)
     * @param bean the bean
     * @return whether {@link #adapt} accepts it
     */
    boolean adapts(String name, Object bean);

    /**
     * Whether this adapter would drop a bean of a name and type, before the bean exists: lazy singletons that it
     * would drop are created when the plan is made, and if it {@link #replacesSpringClose() replaces Spring's
     * close}, Spring's own close of such beans is taken over.
     * @param name the bean name
     * @param type the bean's type
     * @return whether a bean of that name and type would be adapted
     */
    boolean adaptsType(String name, Class<?> type);

    /**
     * Adapts a bean that {@link #adapts} accepted. Has no side effect on the bean: {@link AdaptedDrop#prepare()}
     * does that once the bean joins a plan.
     * @param name the bean's plan name
     * @param bean the bean
     * @return what the plan drops in its place, under its name
     */
    AdaptedDrop adapt(String name, Object bean);

    /**
     * Whether the drops of this adapter take the place of the {@code close()} that Spring's own destruction calls on
     * an {@code AutoCloseable} bean, which must then not run a second, unbounded time after the drop.
     * @return {@code false} by default: Spring's own destruction of the bean is harmless after its drop
     */
    default boolean replacesSpringClose() {
        return false;
    }
}
