package dev.asyncdrop.spring.internal;

import dev.asyncdrop.AsyncDroppable;

/**
 * One way of bringing beans that do not implement {@link AsyncDroppable} into the drops, such as executor services
 * or named {@code AutoCloseable} beans. {@link DropCandidates} asks its adapters in order; the first that adapts a
 * bean drops it. Implementations are thread-safe.
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
     * Adapts a bean that {@link #adapts} accepted.
     * @param name the bean's plan name
     * @param bean the bean
     * @return what the plan drops in its place, under its name
     */
    AsyncDroppable adapt(String name, Object bean);
}
