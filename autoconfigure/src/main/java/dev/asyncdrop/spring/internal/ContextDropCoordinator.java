package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ApplicationContextEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownReportListener;
import dev.asyncdrop.spring.ShutdownWorstCase;

/**
 * The {@link BeanDropCoordinator} of one application context: it connects Spring's callbacks to the collaborators
 * that do the work. Beans are learnt as they are created ({@link BeanDropRegistry}, fed by
 * {@link BeanDropPostProcessor}); once every singleton exists, they are planned ({@link DropPlanner}) and a
 * {@link DropPhaseLifecycle} is registered for each phase; the context's events and the phases' drops go to
 * {@link ContextShutdown}. If the refresh fails, or destruction starts while drops are still due,
 * {@link DropBeforeDestruction} has them dropped before the first droppable bean is destroyed. Thread-safe.
 */
public final class ContextDropCoordinator implements BeanDropCoordinator, SmartInitializingSingleton,
        SmartApplicationListener, ApplicationContextAware {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private static final String LIFECYCLE_BEAN_NAME_PREFIX = "asyncDropPhaseLifecycle.";

    private final BeanDropRegistry registry;

    private final ScopeTracker scope;

    private final DropPlanner planner;

    private final ContextShutdown shutdown;

    private final DropBeforeDestruction destruction;

    private final ShutdownTimeouts timeouts;

    private final DropCandidates candidates;

    private final AdaptedBeanDestruction adaptedDestruction;

    private volatile @Nullable ConfigurableListableBeanFactory beanFactory;

    private volatile @Nullable ApplicationContext applicationContext;

    /**
     * Creates a coordinator.
     * @param settings the configuration
     */
    public ContextDropCoordinator(DropSettings settings) {
        Objects.requireNonNull(settings, "'settings' must not be null");
        SimpleAsyncTaskExecutor blockingExecutor = BlockingDrop.newExecutor();
        this.candidates = DropCandidates.of(settings, blockingExecutor);
        this.adaptedDestruction = new AdaptedBeanDestruction(candidates, settings);
        this.scope = new ScopeTracker();
        this.destruction = new DropBeforeDestruction(this::dropBeforeDestruction);
        this.registry = new BeanDropRegistry(candidates, scope, destruction);
        this.planner = new DropPlanner(settings, candidates);
        this.shutdown = new ContextShutdown(new ShutdownReportPublisher(settings.logReport()), blockingExecutor,
                candidates::dropsStarting);
        // Spring Framework's own default, until the auto-configuration or the lifecycle processor says otherwise.
        this.timeouts = new ShutdownTimeouts(settings, Duration.ofSeconds(10));
    }

    /**
     * Sets how long Spring waits for each lifecycle shutdown phase, for the worst case of the shutdown when the
     * lifecycle processor cannot say.
     * @param shutdownPhaseTimeout Spring's timeout per shutdown phase, or {@code null} if unknown
     */
    public void setShutdownPhaseTimeout(@Nullable Duration shutdownPhaseTimeout) {
        if (shutdownPhaseTimeout != null) {
            this.timeouts.setSpringPhaseTimeout(shutdownPhaseTimeout);
        }
    }

    /**
     * Sets the longest the shutdown may take: startup fails when its worst case exceeds it.
     * @param shutdownBudget the budget, or {@code null} for none
     */
    public void setShutdownBudget(@Nullable Duration shutdownBudget) {
        this.timeouts.setBudget(shutdownBudget);
    }

    void setBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        registry.setBeanFactory(beanFactory);
        adaptedDestruction.setBeanFactory(beanFactory);
        scope.setBeanFactory(beanFactory);
        destruction.register(beanFactory);
    }

    void beanCreated(Object bean, String beanName) {
        registry.beanCreated(bean, beanName);
    }

    void definitionMerged(RootBeanDefinition definition, Class<?> beanType, String beanName) {
        adaptedDestruction.definitionMerged(definition, beanType, beanName);
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
        shutdown.setApplicationContext(applicationContext);
    }

    @Override
    public Optional<DropPlan> plan() {
        return shutdown.plan();
    }

    @Override
    public Optional<DropReport> lastReport() {
        return shutdown.report();
    }

    @Override
    public Optional<ShutdownWorstCase> worstCase() {
        return Optional.ofNullable(timeouts.worstCase());
    }

    /**
     * Plans the drops once every non-lazy singleton exists, and fails the refresh when the plan is invalid or the
     * shutdown cannot fit its budget, before any lifecycle bean (such as a web server) starts.
     * @throws dev.asyncdrop.spring.InvalidDropPlanException when the beans cannot be planned
     * @throws dev.asyncdrop.spring.ShutdownBudgetExceededException when the shutdown's worst case exceeds its budget
     */
    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory beanFactory = requireBeanFactory();
        createLazyAdaptedSingletons(beanFactory);
        List<DropListener> listeners = beanFactory.getBeanProvider(DropListener.class).orderedStream().toList();
        BeanDropRegistry.StartupSingletons singletons = registry.singletonsAtStartup();
        DropPlan plan = planner.plan(beanFactory, singletons, listeners);
        registry.planned(singletons.droppable().keySet());
        List<ShutdownReportListener> reportListeners = beanFactory.getBeanProvider(ShutdownReportListener.class)
                .orderedStream()
                .toList();
        for (DropPhaseLifecycle lifecycle : shutdown.planned(plan, reportListeners)) {
            String name = LIFECYCLE_BEAN_NAME_PREFIX + lifecycle.getPhase();
            if (!beanFactory.containsSingleton(name)) {
                beanFactory.registerSingleton(name, lifecycle);
            }
        }
        ShutdownWorstCase worstCase = timeouts.planned(plan, beanFactory);
        FlightRecordingHold.hold(shutdown, worstCase.total());
        if (logger.isDebugEnabled()) {
            logger.debug("Planned the drops of " + plan.resources().size() + " beans in phases " + plan.phases());
        }
    }

    /** Lazy executors and pools would otherwise be created after the plan, which could not order them. */
    private void createLazyAdaptedSingletons(ConfigurableListableBeanFactory beanFactory) {
        for (String name : candidates.lazyAdaptedSingletons(beanFactory)) {
            try {
                beanFactory.getBean(name);
            }
            catch (BeansException ex) {
                logger.warn("Cannot create lazy bean '" + name + "' to drop it at shutdown; it is left to be "
                        + "created on first use and destroyed by Spring: " + ex.getMessage());
            }
        }
    }

    private ConfigurableListableBeanFactory requireBeanFactory() {
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        if (beanFactory == null) {
            throw new IllegalStateException("No bean factory: register the BeanDropPostProcessor of this "
                    + "coordinator in the same context");
        }
        return beanFactory;
    }

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ContextRefreshedEvent.class.isAssignableFrom(eventType)
                || ContextClosedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        // A child context's events reach its parent's listeners too, hence the check.
        if (!(event instanceof ApplicationContextEvent contextEvent)
                || contextEvent.getApplicationContext() != applicationContext) {
            return;
        }
        if (event instanceof ContextClosedEvent) {
            // Published by close() before the lifecycle stops, and never by stop(), pause() or a checkpoint.
            shutdown.closing();
            destruction.rearm();
            registry.adoptLateSingletons();
        }
        else if (event instanceof ContextRefreshedEvent) {
            shutdown.refreshed();
            ConfigurableListableBeanFactory beanFactory = this.beanFactory;
            if (beanFactory != null) {
                timeouts.refreshed(beanFactory);
            }
        }
    }

    /** Last, so that the refresh counts as complete only if no other listener of the event failed it. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * Called before the first droppable bean is destroyed: when the context closes or its refresh failed, drops
     * whatever is still due and waits, bounded by the phase timeouts. After a normal close every phase has been
     * dropped already, unless Spring stopped waiting for one; after a failed refresh nothing has, and the beans
     * created so far are planned first. A refresh can fail after the starter heard {@link ContextRefreshedEvent}
     * (a listener ordered after it throws): the context then seems to run, but all its singletons are destroyed.
     * @return {@code false} if the context runs and a bean is destroyed on its own, which drops nothing
     */
    private boolean dropBeforeDestruction() {
        if (shutdown.isRunning() && !DropBeforeDestruction.destroyingEverySingleton()) {
            return false;
        }
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        if (beanFactory != null && shutdown.plan().isEmpty()) {
            Map<String, Object> beans = registry.createdSingletons();
            if (beans.isEmpty()) {
                return true;
            }
            DropPlan plan = planner.planAfterFailedRefresh(beanFactory, beans,
                    existingSingletons(beanFactory, DropListener.class));
            shutdown.planned(plan, existingSingletons(beanFactory, ShutdownReportListener.class));
        }
        shutdown.awaitDrops();
        return true;
    }

    /** The beans of a type that exist: after a failed refresh, creating more would be wrong. */
    private static <T> List<T> existingSingletons(ConfigurableListableBeanFactory beanFactory, Class<T> type) {
        List<T> beans = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(type, false, false)) {
            Object bean = beanFactory.containsSingleton(name) ? beanFactory.getSingleton(name) : null;
            if (type.isInstance(bean)) {
                beans.add(type.cast(bean));
            }
        }
        AnnotationAwareOrderComparator.sort(beans);
        return beans;
    }
}
