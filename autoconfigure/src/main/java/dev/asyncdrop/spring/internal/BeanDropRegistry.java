package dev.asyncdrop.spring.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.Lifecycle;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * The droppable beans of a context, learnt as they are created: singletons are collected for the plan until it is
 * built, and guarded by {@link DropBeforeDestruction}; prototypes, and singletons created after the plan, go to the
 * {@link ScopeTracker}. An adapted singleton is prepared for its drop as it is created, before the plan exists. Beans
 * are named by their plan name: the bean name, or {@code &name} for a factory bean itself (its product goes by the
 * bean name). Thread-safe: beans are created on any thread.
 */
final class BeanDropRegistry {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private final DropCandidates candidates;

    private final ScopeTracker scope;

    private final DropBeforeDestruction destruction;

    private final Object monitor = new Object();

    /** Droppable and adapted singletons by plan name, in creation order. Guarded by the monitor. */
    private final Map<String, Object> createdSingletons = new LinkedHashMap<>();

    /**
     * What each of those singletons uses, by bean name, read as it was created: the bean factory has just
     * recorded it then, and reads it back several times faster than once every singleton exists. Guarded by the
     * monitor; emptied once the plan is built.
     */
    private final Map<String, String[]> dependencies = new HashMap<>();

    /** Guarded by the monitor. */
    private boolean planned;

    /** The plan names of the beans in the plan, once it is built. */
    private volatile Set<String> plannedNames = Set.of();

    private volatile @Nullable ConfigurableListableBeanFactory beanFactory;

    BeanDropRegistry(DropCandidates candidates, ScopeTracker scope, DropBeforeDestruction destruction) {
        this.candidates = candidates;
        this.scope = scope;
        this.destruction = destruction;
    }

    void setBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Learns about a bean that has just been created.
     * @param bean the bean, as the context exposes it
     * @param beanName its bean name
     */
    void beanCreated(Object bean, String beanName) {
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        boolean factoryBean = bean instanceof FactoryBean;
        String name = factoryBean ? BeanFactory.FACTORY_BEAN_PREFIX + beanName : beanName;
        // Inner beans have no definition of their own: they are destroyed with the bean that holds them.
        if (beanFactory == null || !candidates.isCandidate(bean, name)
                || !beanFactory.containsBeanDefinition(beanName)) {
            return;
        }
        boolean product = !factoryBean && beanFactory.isFactoryBean(beanName);
        BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
        boolean singleton = product ? beanFactory.isSingleton(beanName) : definition.isSingleton();
        if (singleton) {
            destruction.guard(beanName);
            String[] uses = beanFactory.getDependenciesForBean(beanName);
            synchronized (monitor) {
                if (!planned) {
                    // Prepared now rather than when planned: an executor counts and keeps the tasks handed to it
                    // during startup, and is not shut down early if the context closes before the plan exists.
                    candidates.droppable(name, bean);
                    createdSingletons.put(name, bean);
                    dependencies.put(beanName, uses);
                    return;
                }
            }
            scope.track(bean, name, "lazy singleton");
        }
        else if (product || definition.isPrototype()) {
            scope.track(bean, name, "prototype");
        }
        else if (logger.isDebugEnabled()) {
            logger.debug("Not dropping bean '" + name + "' of scope '" + definition.getScope()
                    + "': its scope destroys it");
        }
    }

    /**
     * The singletons that exist once every non-lazy singleton has been created, as far as the plan is concerned:
     * the droppable ones (those seen created, then those registered directly or created before the post-processor
     * existed) and the lifecycle beans, read in one pass.
     * @return the singletons
     */
    StartupSingletons singletonsAtStartup() {
        Map<String, Object> beans = createdSingletons();
        Map<String, String[]> uses = dependencies();
        List<String> lifecycleBeans = new ArrayList<>();
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        if (beanFactory != null) {
            for (String beanName : beanFactory.getSingletonNames()) {
                Object bean = beans.containsKey(beanName) ? null : beanFactory.getSingleton(beanName);
                if (bean == null) {
                    continue;
                }
                // A factory bean's product is known only if its creation was seen.
                String name = (bean instanceof FactoryBean) ? BeanFactory.FACTORY_BEAN_PREFIX + beanName : beanName;
                if (!beans.containsKey(name) && candidates.isCandidate(bean, name)) {
                    destruction.guard(beanName);
                    beans.put(name, bean);
                }
                else if (bean instanceof Lifecycle) {
                    lifecycleBeans.add(beanName);
                }
            }
        }
        return new StartupSingletons(beans, uses, lifecycleBeans);
    }

    private Map<String, String[]> dependencies() {
        synchronized (monitor) {
            return new HashMap<>(dependencies);
        }
    }

    /** @return the droppable singletons seen created so far, by plan name, in creation order */
    Map<String, Object> createdSingletons() {
        synchronized (monitor) {
            return new LinkedHashMap<>(createdSingletons);
        }
    }

    /**
     * Takes note that the plan has been built: singletons created from now on go to the scope, and so do those
     * another thread created while the plan was being built, which missed it.
     * @param planned the plan names of the beans in the plan
     */
    void planned(Set<String> planned) {
        Map<String, Object> missed = new LinkedHashMap<>();
        this.plannedNames = Set.copyOf(planned);
        synchronized (monitor) {
            this.planned = true;
            dependencies.clear();
            createdSingletons.forEach((name, bean) -> {
                if (!planned.contains(name)) {
                    missed.put(name, bean);
                }
            });
        }
        missed.forEach((name, bean) -> scope.track(bean, name, "lazy singleton"));
    }

    /**
     * Hands to the scope the droppable singletons registered directly after the plan was built
     * ({@code registerSingleton}), which no post-processor sees: they have no bean definition, and are in neither the
     * plan nor the scope. Dropped with the scope, they drop before the singletons they may use. Called when the
     * context starts to close, before any drop.
     */
    void adoptLateSingletons() {
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        Set<String> inPlan = this.plannedNames;
        if (beanFactory == null || !isPlanned()) {
            return;
        }
        for (String beanName : beanFactory.getSingletonNames()) {
            if (inPlan.contains(beanName) || beanFactory.containsBeanDefinition(beanName)) {
                continue;
            }
            Object bean = beanFactory.getSingleton(beanName);
            if (bean instanceof AsyncDroppable && !(bean instanceof FactoryBean)) {
                logger.info("Dropping bean '" + beanName + "' with the AsyncDropScope: it was registered after "
                        + "startup (registerSingleton), so the plan does not know what it uses; like everything in "
                        + "the scope, it is dropped before the singletons");
                destruction.guard(beanName);
                scope.track(bean, beanName, "late singleton");
            }
        }
    }

    private boolean isPlanned() {
        synchronized (monitor) {
            return planned;
        }
    }

    /**
     * The singletons a plan is made of, as they are once every non-lazy singleton has been created. Immutable.
     *
     * @param droppable the droppable and adapted singletons, by plan name, in creation order
     * @param dependencies what beans use, by bean name, as read when they were created (the others are read when
     * needed)
     * @param lifecycleBeans the names of the other singletons that are lifecycle beans
     */
    record StartupSingletons(Map<String, Object> droppable, Map<String, String[]> dependencies,
            List<String> lifecycleBeans) {

        StartupSingletons {
            droppable = Collections.unmodifiableMap(droppable);
            dependencies = Collections.unmodifiableMap(dependencies);
            lifecycleBeans = List.copyOf(lifecycleBeans);
        }
    }
}
