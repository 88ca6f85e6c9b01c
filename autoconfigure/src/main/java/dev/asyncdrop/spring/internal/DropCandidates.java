package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import dev.asyncdrop.AsyncDroppable;

/**
 * Decides which beans are dropped at shutdown, and what the plan drops for each: the bean itself when it implements
 * {@link AsyncDroppable}, otherwise what the first {@link DropAdapter} that accepts it makes of it, made once per
 * bean, so that the bean is prepared and dropped once. A scoped proxy is never a candidate: it stands for whichever
 * target its scope holds, and that scope destroys its targets. Thread-safe.
 */
final class DropCandidates {

    private final List<DropAdapter> adapters;

    /** What the plan drops for each adapted bean, by plan name. */
    private final Map<String, AdaptedDrop> adapted = new ConcurrentHashMap<>();

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
        DropSettings.AdapterSettings configured = settings.adapters();
        List<DropAdapter> adapters = new ArrayList<>();
        // Named beans first: a name is a more specific request than a type (an ExecutorService is AutoCloseable).
        if (!configured.autoCloseables().isEmpty()) {
            adapters.add(AutoCloseableDrop.named(configured.autoCloseables(), blockingExecutor));
        }
        if (configured.taskExecutors()) {
            adapters.add(new TaskExecutorDrops());
        }
        if (configured.executorServices()) {
            adapters.add(ExecutorServiceDrop.executorServices());
        }
        if (configured.dataSources()) {
            adapters.add(AutoCloseableDrop.dataSources(blockingExecutor));
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
        return bean instanceof AsyncDroppable || adaptedBefore(name, bean) != null || adapterFor(name, bean) != null;
    }

    /**
     * What the plan drops for a candidate; an adapted bean is prepared for its drop the first time.
     * @param name a candidate's plan name
     * @param bean the candidate
     * @return what the plan drops for it
     * @throws IllegalArgumentException when the bean is not a candidate
     */
    AsyncDroppable droppable(String name, Object bean) {
        if (bean instanceof AsyncDroppable droppable) {
            return droppable;
        }
        return adapted.compute(name, (key, previous) -> {
            if (previous != null && previous.bean() == bean) {
                return previous;
            }
            DropAdapter adapter = adapterFor(name, bean);
            if (adapter == null) {
                throw new IllegalArgumentException("Bean '" + name + "' is neither droppable nor adapted");
            }
            AdaptedDrop drop = adapter.adapt(name, bean);
            drop.prepare();
            return drop;
        });
    }

    /**
     * @param name a plan name
     * @param bean the bean of that name
     * @return the drop made for that bean, if one was
     */
    @Nullable AdaptedDrop adaptedBefore(String name, Object bean) {
        AdaptedDrop drop = adapted.get(name);
        return (drop != null && drop.bean() == bean) ? drop : null;
    }

    /** Resumes every adapted bean that was paused: called once, when the drops begin. */
    void dropsStarting() {
        adapted.values().forEach(AdaptedDrop::resume);
    }

    /**
     * Whether an adapter takes Spring's {@code close()} of beans of a name and type over.
     * @param name a bean name
     * @param type the bean's type
     * @return whether Spring must not close such a bean itself
     */
    boolean replacesSpringClose(String name, Class<?> type) {
        for (DropAdapter adapter : adapters) {
            if (adapter.adaptsType(name, type)) {
                // The first adapter that takes the bean decides, as for the bean itself.
                return adapter.replacesSpringClose();
            }
        }
        return false;
    }

    /**
     * Finds the lazy singletons not created yet that an adapter would drop: they are created with the other
     * singletons, so that they join the plan (such as Spring Boot's {@code applicationTaskExecutor}, lazy, which
     * {@code @Async} methods create on their first call).
     * @param beanFactory the bean factory
     * @return their bean names
     */
    List<String> lazyAdaptedSingletons(ConfigurableListableBeanFactory beanFactory) {
        if (adapters.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            if (beanFactory.containsSingleton(name)) {
                continue;
            }
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            if (!definition.isSingleton() || !definition.isLazyInit() || definition.isAbstract()) {
                continue;
            }
            try {
                Class<?> type = beanFactory.getType(name, false);
                if (type != null && !beanFactory.isFactoryBean(name) && adaptsType(name, type)) {
                    names.add(name);
                }
            }
            catch (BeansException ex) {
                // Its type cannot be known without creating it: it is left to be created on first use.
            }
        }
        return names;
    }

    private boolean adaptsType(String name, Class<?> type) {
        for (DropAdapter adapter : adapters) {
            if (adapter.adaptsType(name, type)) {
                return true;
            }
        }
        return false;
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
