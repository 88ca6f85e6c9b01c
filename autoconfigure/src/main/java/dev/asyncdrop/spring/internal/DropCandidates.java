package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedObject;

import dev.asyncdrop.AsyncDroppable;

/**
 * Decides which beans are dropped at shutdown, and what the plan drops for each: the bean itself when it implements
 * {@link AsyncDroppable}, otherwise what the first {@link DropAdapter} that accepts it makes of it. A scoped proxy
 * is never a candidate: it stands for whichever target its scope holds, and that scope destroys its targets.
 * Immutable and thread-safe.
 */
final class DropCandidates {

    private final List<DropAdapter> adapters;

    DropCandidates(List<DropAdapter> adapters) {
        this.adapters = List.copyOf(adapters);
    }

    /**
     * The candidates the configuration asks for.
     * @param settings the configuration
     * @param blockingExecutor runs the blocking cleanups of adapted beans
     * @return the candidates
     */
    static DropCandidates of(DropSettings settings, Executor blockingExecutor) {
        Objects.requireNonNull(settings, "'settings' must not be null");
        Objects.requireNonNull(blockingExecutor, "'blockingExecutor' must not be null");
        List<DropAdapter> adapters = new ArrayList<>();
        // Named beans first: a name is a more specific request than a type (an ExecutorService is AutoCloseable).
        adapters.add(AutoCloseableDrop.adapter(settings.autoCloseables(), blockingExecutor));
        if (settings.adaptExecutorServices()) {
            adapters.add(ExecutorServiceDrop.adapter(blockingExecutor));
        }
        return new DropCandidates(adapters);
    }

    /**
     * @param bean a bean
     * @param name its plan name ({@code &name} for a factory bean itself)
     * @return whether the bean is dropped at shutdown
     */
    boolean isCandidate(Object bean, String name) {
        if (bean instanceof ScopedObject) {
            return false;
        }
        return bean instanceof AsyncDroppable || adapterFor(name, bean) != null;
    }

    /**
     * @param name a candidate's plan name
     * @param bean the candidate
     * @return what the plan drops for it
     * @throws IllegalArgumentException when the bean is not a candidate
     */
    AsyncDroppable droppable(String name, Object bean) {
        if (bean instanceof AsyncDroppable droppable) {
            return droppable;
        }
        DropAdapter adapter = adapterFor(name, bean);
        if (adapter == null) {
            throw new IllegalArgumentException("Bean '" + name + "' is neither droppable nor adapted");
        }
        return adapter.adapt(name, bean);
    }

    private @Nullable DropAdapter adapterFor(String name, Object bean) {
        for (DropAdapter adapter : adapters) {
            if (adapter.adapts(name, bean)) {
                return adapter;
            }
        }
        return null;
    }
}
