package dev.asyncdrop.spring.internal;

import dev.asyncdrop.AsyncDroppable;

/**
 * Where a bean drops within its phase when no explicit dependency (injection, {@code @DependsOn},
 * {@code async-drop.resources.<bean>.depends-on}) says otherwise: the application's own droppables first, then
 * executors and schedulers, so that a droppable can hand its last work to them, then data sources and other pools,
 * so that the tasks finish their writes before the pool closes.
 */
enum DropTier {

    /** Beans that implement {@link AsyncDroppable} themselves. */
    APPLICATION,

    /** Executors and schedulers. */
    EXECUTORS,

    /** Data sources and other pools. */
    POOLS;

    /**
     * @param droppable what the plan drops for a bean
     * @return its tier
     */
    static DropTier of(AsyncDroppable droppable) {
        return (droppable instanceof AdaptedDrop adapted) ? adapted.tier() : APPLICATION;
    }
}
