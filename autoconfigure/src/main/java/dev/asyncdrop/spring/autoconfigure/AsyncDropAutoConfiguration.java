package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.internal.BeanDropPostProcessor;
import dev.asyncdrop.spring.internal.ContextDropCoordinator;
import dev.asyncdrop.spring.internal.DropSettings;
import dev.asyncdrop.spring.internal.LeakDetectionLevelOverride;

/**
 * Auto-configuration that drops every async-droppable singleton when the application context closes, in
 * dependency order, in parallel wherever the graph allows, phase by phase inside Spring's lifecycle shutdown; and
 * provides an {@link AsyncDropScope} for droppables created at run time.
 * <p>
 * A bean that implements {@link AsyncDroppable} needs nothing more: what it uses (injected beans, followed through
 * beans that are not droppable, and {@code @DependsOn}) is dropped after it. The plan is checked when the singletons
 * have been created, so a cycle or a phase conflict fails startup. Defining a {@link BeanDropCoordinator} bean turns
 * the drops off; defining an {@link AsyncDropScope} bean replaces the scope. When
 * {@code async-drop.leak-detection.level} is set (and not empty), the {@link LeakDetection} level is set to it, for the
 * whole JVM, before the context creates its beans, and the previous level is restored when the context is closed.
 * Stateless, so thread-safe; the coordinator it provides is thread-safe too.
 *
 * @since 0.1.0
 * @see AsyncDropProperties
 */
@AutoConfiguration(after = LifecycleAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "async-drop.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncDropProperties.class)
public final class AsyncDropAutoConfiguration {

    /** Spring Framework's own wait per shutdown phase, when Spring Boot's lifecycle properties are not in use. */
    private static final Duration FRAMEWORK_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(10);

    private static final String POST_PROCESSOR_BEAN_NAME = "asyncDropBeanPostProcessor";

    /**
     * The conventional name of the bean that {@code @EnableConfigurationProperties} registers for Spring Boot's
     * lifecycle properties ({@code <prefix>-<class name>}): looked up by name, it is found without a search through
     * every bean definition of the context.
     */
    private static final String LIFECYCLE_PROPERTIES_BEAN_NAME = "spring.lifecycle-"
            + "org.springframework.boot.autoconfigure.context.LifecycleProperties";

    @Bean(POST_PROCESSOR_BEAN_NAME)
    @ConditionalOnMissingBean(value = BeanDropCoordinator.class, search = SearchStrategy.CURRENT)
    static BeanPostProcessor asyncDropBeanPostProcessor(Environment environment) {
        // Bound here rather than injected: this post-processor exists before any configuration properties bean,
        // and must know the settings to drop the beans created before a refresh that fails.
        AsyncDropProperties properties = Binder.get(environment).bindOrCreate("async-drop",
                AsyncDropProperties.class);
        return new BeanDropPostProcessor(new ContextDropCoordinator(settings(properties)));
    }

    @Bean
    // Comes with its post-processor, which backs off when the application defines a coordinator: asking by name
    // spares a search through every bean definition of the context.
    @ConditionalOnBean(name = POST_PROCESSOR_BEAN_NAME, search = SearchStrategy.CURRENT)
    BeanDropCoordinator asyncDropCoordinator(BeanDropPostProcessor asyncDropBeanPostProcessor,
            @Qualifier(LIFECYCLE_PROPERTIES_BEAN_NAME) ObjectProvider<LifecycleProperties> lifecycleProperties,
            AsyncDropProperties properties) {
        // The post-processor, created first, made the coordinator: it has seen every bean since.
        ContextDropCoordinator coordinator = asyncDropBeanPostProcessor.coordinator();
        LifecycleProperties lifecycle = lifecycleProperties.getIfAvailable();
        coordinator.setShutdownPhaseTimeout((lifecycle != null) ? lifecycle.getTimeoutPerShutdownPhase()
                : FRAMEWORK_SHUTDOWN_PHASE_TIMEOUT);
        coordinator.setShutdownBudget(properties.getShutdownBudget());
        return coordinator;
    }

    @Bean
    @ConditionalOnProperty(prefix = "async-drop.leak-detection", name = "level")
    static BeanFactoryPostProcessor asyncDropLeakDetectionLevel(Environment environment) {
        // A bean factory post-processor, so that the level applies before the context creates any bean. A value
        // that is not a level fails the bind, which Spring Boot's failure analysis explains with the valid values.
        return Binder.get(environment)
                .bind("async-drop.leak-detection.level", LeakDetection.Level.class)
                .<BeanFactoryPostProcessor>map(LeakDetectionLevelOverride::new)
                // Set but empty (such as ASYNCDROP_LEAKDETECTION_LEVEL=): as if it were not set, the level stays.
                .orElse(beanFactory -> {
                });
    }

    @Bean
    static LazyInitializationExcludeFilter asyncDropLazyInitializationExcludeFilter() {
        // With lazy initialization, droppable beans would be created on first use and miss the plan: the scope
        // would then drop them all at once, without their order. The coordinator plans once the singletons exist,
        // which it cannot do if it is itself created on first use.
        return LazyInitializationExcludeFilter.forBeanTypes(AsyncDroppable.class, BeanDropCoordinator.class);
    }

    @Bean
    @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
    AsyncDropScope asyncDropScope() {
        // The context takes over the obligation to drop the scope: it is a droppable singleton, dropped at
        // shutdown before the singletons that its resources may use.
        return AsyncDropScope.create().unsafeIntoInnerDontDrop();
    }

    static DropSettings settings(AsyncDropProperties properties) {
        Map<Integer, Duration> phaseTimeouts = new LinkedHashMap<>();
        properties.getPhases().forEach((phase, settings) -> {
            if (settings.getTimeout() != null) {
                phaseTimeouts.put(phase, settings.getTimeout());
            }
        });
        Map<String, DropSettings.ResourceSettings> resources = new LinkedHashMap<>();
        properties.getResources().forEach((name, resource) -> resources.put(name,
                new DropSettings.ResourceSettings(resource.getPhase(), resource.getTimeout(),
                        resource.getDependsOn())));
        AsyncDropProperties.Adapters adapters = properties.getAdapters();
        return new DropSettings(properties.getPhase(), properties.getTimeoutPerPhase(), phaseTimeouts, resources,
                properties.getReport().isLog(), new DropSettings.AdapterSettings(adapters.isTaskExecutors(),
                        adapters.isExecutorServices(), adapters.isDataSources(),
                        new LinkedHashSet<>(adapters.getAutoCloseables())));
    }
}
