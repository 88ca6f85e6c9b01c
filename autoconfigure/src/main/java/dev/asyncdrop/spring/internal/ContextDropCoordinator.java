package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.scope.ScopedObject;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ApplicationContextEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.task.support.ExecutorServiceAdapter;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DependencyCycleException;
import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * Drops the async-droppable beans of one application context: it learns about beans as they are created (through
 * {@link BeanDropPostProcessor}), plans their drops once every singleton exists, and drops phase by phase inside
 * Spring's lifecycle shutdown when, and only when, the context closes. If the refresh fails, or destruction starts
 * while drops are still due, the beans are dropped before the first of them is destroyed. Thread-safe.
 */
public final class ContextDropCoordinator implements BeanDropCoordinator, SmartInitializingSingleton,
        SmartApplicationListener, ApplicationContextAware {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private static final String LIFECYCLE_BEAN_NAME_PREFIX = "asyncDropPhaseLifecycle.";

    /** Added to the sum of the phase timeouts when destruction waits for drops, which are bounded by them. */
    private static final Duration DESTRUCTION_WAIT_MARGIN = Duration.ofSeconds(5);

    private final DropSettings settings;

    private final Object monitor = new Object();

    /** Droppable and adapted singletons by plan name, in creation order, until the plan is built. */
    private final Map<String, Object> createdSingletons = new LinkedHashMap<>();

    /** The same beans, by identity, to tell Spring which beans to call back before destruction. */
    private final Set<Object> candidates = Collections.newSetFromMap(new IdentityHashMap<>());

    private final Map<Integer, CompletableFuture<@Nullable DropReport>> phaseRuns = new ConcurrentHashMap<>();

    private final Set<Integer> completedPhases = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean reported = new AtomicBoolean();

    private final AtomicBoolean destructionStarted = new AtomicBoolean();

    private final AtomicBoolean warnedAboutMissingScope = new AtomicBoolean();

    private volatile @Nullable ConfigurableListableBeanFactory beanFactory;

    private volatile @Nullable ApplicationContext applicationContext;

    private volatile @Nullable Duration shutdownPhaseTimeout;

    private volatile @Nullable DropPlan plan;

    private volatile @Nullable DropReport lastReport;

    private volatile boolean refreshed;

    private volatile boolean closing;

    private volatile List<ShutdownReportListener> reportListeners = List.of();

    private volatile @Nullable AsyncDropScope scope;

    private @Nullable ExecutorService blockingExecutor;

    /**
     * Creates a coordinator.
     * @param settings the configuration
     */
    public ContextDropCoordinator(DropSettings settings) {
        this.settings = Objects.requireNonNull(settings, "'settings' must not be null");
    }

    /**
     * Sets how long Spring waits for each lifecycle shutdown phase, to warn at startup when a drop phase may take
     * longer.
     * @param shutdownPhaseTimeout Spring's timeout per shutdown phase, or {@code null} if unknown
     */
    public void setShutdownPhaseTimeout(@Nullable Duration shutdownPhaseTimeout) {
        this.shutdownPhaseTimeout = shutdownPhaseTimeout;
    }

    void setBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Optional<DropPlan> plan() {
        return Optional.ofNullable(plan);
    }

    @Override
    public Optional<DropReport> lastReport() {
        return Optional.ofNullable(lastReport);
    }

    // Creation

    void beanCreated(Object bean, String beanName) {
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        boolean factoryBean = bean instanceof FactoryBean;
        String name = factoryBean ? BeanFactory.FACTORY_BEAN_PREFIX + beanName : beanName;
        // Inner beans have no definition of their own: they are destroyed with the bean that holds them.
        if (beanFactory == null || !isCandidateType(bean, name) || !beanFactory.containsBeanDefinition(beanName)) {
            return;
        }
        boolean product = !factoryBean && beanFactory.isFactoryBean(beanName);
        BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
        boolean singleton = product ? beanFactory.isSingleton(beanName) : definition.isSingleton();
        if (singleton) {
            synchronized (monitor) {
                if (plan == null) {
                    createdSingletons.put(name, bean);
                    candidates.add(bean);
                    return;
                }
            }
            track(bean, name, "lazy singleton");
        }
        else if (product || definition.isPrototype()) {
            track(bean, name, "prototype");
        }
        else if (logger.isDebugEnabled()) {
            logger.debug("Not dropping bean '" + name + "' of scope '" + definition.getScope()
                    + "': its scope destroys it");
        }
    }

    private boolean isCandidateType(Object bean, String name) {
        // A scoped proxy stands for whichever target its scope holds; that scope destroys its targets.
        if (bean instanceof ScopedObject) {
            return false;
        }
        if (bean instanceof AsyncDroppable) {
            return true;
        }
        if (bean instanceof AutoCloseable && settings.autoCloseables().contains(name)) {
            return true;
        }
        return settings.adaptExecutorServices() && bean instanceof ExecutorService
                && !(bean instanceof ExecutorServiceAdapter);
    }

    /** Hands a droppable created at run time to the scope, which drops what is left of it at shutdown. */
    private void track(Object bean, String name, String kind) {
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
            logger.warn("Not dropping " + kind + " bean '" + name + "': it was created after the AsyncDropScope "
                    + "was dropped, while the context shuts down");
            return;
        }
        if (logger.isTraceEnabled()) {
            logger.trace("Tracking " + kind + " bean '" + name + "' in the AsyncDropScope");
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

    boolean isDropCandidate(Object bean) {
        // Any droppable will do: the first one destroyed triggers the drops still due, whatever post-processor
        // wrapped it after it was seen.
        if (bean instanceof AsyncDroppable) {
            return true;
        }
        synchronized (monitor) {
            if (candidates.contains(bean)) {
                return true;
            }
        }
        // The factory bean is registered for destruction before its product exists.
        if (bean instanceof FactoryBean<?> factoryBean) {
            try {
                Class<?> type = factoryBean.getObjectType();
                return type != null && (AsyncDroppable.class.isAssignableFrom(type)
                        || (settings.adaptExecutorServices() && ExecutorService.class.isAssignableFrom(type)));
            }
            catch (RuntimeException ex) {
                return false;
            }
        }
        return false;
    }

    // Startup

    /**
     * Plans the drops once every non-lazy singleton exists, and fails the refresh when the plan is invalid, before
     * any lifecycle bean (such as a web server) starts.
     * @throws dev.asyncdrop.spring.InvalidDropPlanException when the beans cannot be planned
     */
    @Override
    public void afterSingletonsInstantiated() {
        ConfigurableListableBeanFactory beanFactory = requireBeanFactory();
        List<DropListener> listeners = beanFactory.getBeanProvider(DropListener.class).orderedStream().toList();
        DropPlan plan = buildPlan(beanFactory, beansAtStartup(beanFactory), listeners, true);
        Map<String, Object> createdMeanwhile = new LinkedHashMap<>();
        synchronized (monitor) {
            this.plan = plan;
            // Another thread may have created singletons (lazy ones, say) while the plan was being built: they
            // missed the plan, and from now on beanCreated() hands such beans to the scope instead.
            createdSingletons.forEach((name, bean) -> {
                if (plan.resource(name).isEmpty()) {
                    createdMeanwhile.put(name, bean);
                }
            });
        }
        createdMeanwhile.forEach((name, bean) -> track(bean, name, "lazy singleton"));
        this.reportListeners = beanFactory.getBeanProvider(ShutdownReportListener.class).orderedStream().toList();
        for (int phase : plan.phases()) {
            String name = LIFECYCLE_BEAN_NAME_PREFIX + phase;
            if (!beanFactory.containsSingleton(name)) {
                beanFactory.registerSingleton(name, new DropPhaseLifecycle(this, phase));
            }
        }
        DropLog.warnIfSpringStopsWaitingFirst(plan, shutdownPhaseTimeout);
        if (logger.isDebugEnabled()) {
            logger.debug("Planned the drops of " + plan.resources().size() + " beans in phases " + plan.phases());
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

    private Map<String, Object> beansAtStartup(ConfigurableListableBeanFactory beanFactory) {
        Map<String, Object> beans;
        synchronized (monitor) {
            beans = new LinkedHashMap<>(createdSingletons);
        }
        // Singletons registered directly, or created before this coordinator's post-processor.
        addCreatedSingletons(beanFactory, beans, AsyncDroppable.class);
        if (settings.adaptExecutorServices()) {
            addCreatedSingletons(beanFactory, beans, ExecutorService.class);
        }
        for (String name : settings.autoCloseables()) {
            addCreatedSingleton(beanFactory, beans, name);
        }
        return beans;
    }

    private void addCreatedSingletons(ConfigurableListableBeanFactory beanFactory, Map<String, Object> beans,
            Class<?> type) {
        for (String name : beanFactory.getBeanNamesForType(type, false, false)) {
            addCreatedSingleton(beanFactory, beans, name);
        }
    }

    private void addCreatedSingleton(ConfigurableListableBeanFactory beanFactory, Map<String, Object> beans,
            String name) {
        String beanName = BeanFactoryUtils.transformedBeanName(name);
        if (beans.containsKey(name) || !beanFactory.containsSingleton(beanName)) {
            return;
        }
        // A factory bean's product is known only if its creation was seen.
        if (!BeanFactoryUtils.isFactoryDereference(name) && beanFactory.isFactoryBean(beanName)) {
            return;
        }
        Object bean = beanFactory.getSingleton(beanName);
        if (bean != null && isCandidateType(bean, name)) {
            beans.put(name, bean);
        }
    }

    private DropPlan buildPlan(ConfigurableListableBeanFactory beanFactory, Map<String, Object> beans,
            List<DropListener> listeners, boolean strict) {
        DropGraph graph = DropGraph.read(beanFactory, settings, beans, this::droppable, strict);
        if (strict) {
            graph.lifecycleConflicts().forEach(logger::warn);
        }
        DropPlan.Builder builder = newPlanBuilder(listeners);
        for (DropGraph.Node node : graph.nodes()) {
            builder.add(node.name, node.droppable, spec -> {
                spec.phase(node.phase).dependsOn(node.dependsOn.keySet());
                if (node.timeout != null) {
                    spec.timeout(node.timeout);
                }
            });
        }
        try {
            return builder.build();
        }
        catch (DependencyCycleException ex) {
            throw graph.cycle(ex.cycle(), ex);
        }
    }

    private DropPlan.Builder newPlanBuilder(List<DropListener> listeners) {
        DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(settings.phaseTimeout());
        settings.phaseTimeouts().forEach(builder::phaseTimeout);
        listeners.forEach(builder::listener);
        return builder;
    }

    private AsyncDroppable droppable(String name, Object bean) {
        if (bean instanceof AsyncDroppable droppable) {
            return droppable;
        }
        if (bean instanceof AutoCloseable closeable && settings.autoCloseables().contains(name)) {
            return new AutoCloseableDrop(name, closeable, blockingExecutor());
        }
        if (bean instanceof ExecutorService executorService) {
            return new ExecutorServiceDrop(name, executorService, blockingExecutor());
        }
        throw new IllegalArgumentException("Bean '" + name + "' is neither droppable nor adapted");
    }

    private Executor blockingExecutor() {
        synchronized (monitor) {
            if (blockingExecutor == null) {
                CustomizableThreadFactory threadFactory = new CustomizableThreadFactory("async-drop-blocking-");
                // A close() that never returns must not keep the JVM alive.
                threadFactory.setDaemon(true);
                blockingExecutor = Executors.newCachedThreadPool(threadFactory);
            }
            return blockingExecutor;
        }
    }

    // Shutdown

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
            closing = true;
        }
        else if (event instanceof ContextRefreshedEvent) {
            refreshed = true;
        }
    }

    /**
     * Whether the context is closing, as opposed to stopping, pausing or taking a checkpoint. The context says so
     * from the start of {@code close()}, even if a listener of {@link ContextClosedEvent} fails before this one.
     */
    private boolean isClosing() {
        return closing || (applicationContext instanceof ConfigurableApplicationContext context && context.isClosed());
    }

    /** Last, so that the refresh counts as complete only if no other listener of the event failed it. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * Drops a phase if the context is closing; otherwise the beans stay as they are.
     * @param phase the phase
     * @param callback called once the phase has been dropped, or at once if nothing is dropped
     * @return a future completed after the callback
     */
    CompletableFuture<?> stopPhase(int phase, Runnable callback) {
        DropPlan plan = this.plan;
        if (!isClosing() || plan == null) {
            if (logger.isDebugEnabled()) {
                logger.debug("Not dropping phase " + phase + ": the context is stopped, paused or checkpointed, "
                        + "not closed");
            }
            callback.run();
            return CompletableFuture.completedFuture(null);
        }
        return dropPhase(plan, phase).whenComplete((report, failure) -> callback.run());
    }

    boolean isPhaseDropping(int phase) {
        return phaseRuns.containsKey(phase);
    }

    /**
     * Called before a droppable bean is destroyed: when the context closes or its refresh failed, drops whatever
     * is still due and waits, bounded by the phase timeouts. After a normal close every phase has been dropped
     * already, unless Spring stopped waiting for one; after a failed refresh nothing has. A bean destroyed on its own
     * while the context runs is left alone.
     */
    void beforeDestruction() {
        ConfigurableListableBeanFactory beanFactory = this.beanFactory;
        if (beanFactory == null) {
            return;
        }
        if (refreshed && !isClosing()) {
            // One bean destroyed while the context runs (destroySingleton, destroyBean): not a shutdown.
            return;
        }
        if (!destructionStarted.compareAndSet(false, true)) {
            return;
        }
        DropPlan plan;
        synchronized (monitor) {
            plan = this.plan;
        }
        if (plan == null) {
            plan = planAfterFailedRefresh(beanFactory);
            if (plan == null) {
                return;
            }
            reportListeners = existingSingletons(beanFactory, ShutdownReportListener.class);
            synchronized (monitor) {
                this.plan = plan;
            }
        }
        awaitAllPhases(plan);
    }

    private @Nullable DropPlan planAfterFailedRefresh(ConfigurableListableBeanFactory beanFactory) {
        Map<String, Object> beans;
        synchronized (monitor) {
            beans = new LinkedHashMap<>(createdSingletons);
        }
        if (beans.isEmpty()) {
            return null;
        }
        logger.info("Dropping the " + beans.size() + " async-droppable beans created before the context failed to "
                + "start: " + beans.keySet());
        List<DropListener> listeners = existingSingletons(beanFactory, DropListener.class);
        try {
            return buildPlan(beanFactory, beans, listeners, false);
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot plan the drops of the beans created before the context failed to start, so they "
                    + "are dropped one at a time, the last created first: " + ex.getMessage());
            return sequentialPlan(beans, listeners);
        }
    }

    /** Drops one bean at a time in reverse creation order, the order in which Spring would destroy them. */
    private DropPlan sequentialPlan(Map<String, Object> beans, List<DropListener> listeners) {
        DropPlan.Builder builder = newPlanBuilder(listeners);
        String previous = null;
        for (Map.Entry<String, Object> entry : beans.entrySet()) {
            String createdBefore = previous;
            builder.add(entry.getKey(), droppable(entry.getKey(), entry.getValue()), spec -> {
                spec.phase(settings.defaultPhase());
                if (createdBefore != null) {
                    spec.dependsOn(createdBefore);
                }
            });
            previous = entry.getKey();
        }
        return builder.build();
    }

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

    private void awaitAllPhases(DropPlan plan) {
        CompletableFuture<?> all = CompletableFuture.completedFuture(null);
        Duration limit = DESTRUCTION_WAIT_MARGIN;
        for (int phase : plan.phases()) {
            all = all.thenCompose(previous -> dropPhase(plan, phase));
            limit = limit.plus(plan.phaseTimeout(phase));
        }
        try {
            all.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            logger.warn("Gave up waiting for the drops after " + DropLog.print(limit)
                    + "; destroying the beans anyway");
        }
        catch (ExecutionException ex) {
            logger.warn("Dropping the beans failed; destroying them anyway", ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<@Nullable DropReport> dropPhase(DropPlan plan, int phase) {
        CompletableFuture<@Nullable DropReport> run = phaseRuns.get(phase);
        if (run != null) {
            return run;
        }
        CompletableFuture<@Nullable DropReport> created = new CompletableFuture<>();
        run = phaseRuns.putIfAbsent(phase, created);
        if (run != null) {
            return run;
        }
        if (logger.isDebugEnabled()) {
            logger.debug("Dropping phase " + phase);
        }
        try {
            plan.executePhase(phase).whenComplete((report, failure) -> {
                try {
                    phaseDropped(plan, phase, report, failure);
                }
                finally {
                    created.complete(report);
                }
            });
        }
        catch (RuntimeException ex) {
            try {
                phaseDropped(plan, phase, null, ex);
            }
            finally {
                created.complete(null);
            }
        }
        return created;
    }

    private void phaseDropped(DropPlan plan, int phase, @Nullable DropReport report, @Nullable Throwable failure) {
        try {
            if (report != null) {
                DropLog.phaseDropped(phase, report);
            }
            else {
                logger.error("Dropping phase " + phase + " failed", failure);
            }
        }
        finally {
            completedPhases.add(phase);
            DropReport combined = plan.report();
            lastReport = combined;
            if (completedPhases.containsAll(plan.phases()) && reported.compareAndSet(false, true)) {
                publish(combined);
            }
        }
    }

    private void publish(DropReport report) {
        try {
            if (settings.logReport()) {
                logger.info("Shutdown drop report:%n%s".formatted(report.toText()));
            }
            for (ShutdownReportListener listener : reportListeners) {
                try {
                    listener.onShutdownReport(report);
                }
                catch (RuntimeException ex) {
                    logger.warn("ShutdownReportListener " + listener + " failed; ignoring it", ex);
                }
            }
        }
        finally {
            synchronized (monitor) {
                if (blockingExecutor != null) {
                    blockingExecutor.shutdown();
                }
            }
        }
    }
}
