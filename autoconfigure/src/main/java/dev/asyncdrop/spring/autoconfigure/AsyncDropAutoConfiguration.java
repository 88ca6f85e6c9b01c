package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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

/**
 * Auto-configuration that drops every async-droppable singleton when the application context closes, in
 * dependency order, in parallel wherever the graph allows, phase by phase inside Spring's lifecycle shutdown; and
 * provides an {@link AsyncDropScope} for droppables created at run time.
 * <p>
 * A bean that implements {@link AsyncDroppable} needs nothing more: what it uses (injected beans, followed through
 * beans that are not droppable, and {@code @DependsOn}) is dropped after it. The plan is checked when the
 * singletons have been created, so a cycle or a phase conflict fails startup. Defining a {@link BeanDropCoordinator}
 * bean turns the drops off; defining an {@link AsyncDropScope} bean replaces the scope. Stateless, so
 * thread-safe; the coordinator it provides is thread-safe too.
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

    @Bean
    @ConditionalOnMissingBean(value = BeanDropCoordinator.class, search = SearchStrategy.CURRENT)
    static BeanDropPostProcessor asyncDropBeanPostProcessor(Environment environment) {
        // Bound here rather than injected: this post-processor exists before any configuration properties bean,
        // and must know the settings to drop the beans created before a refresh that fails.
        AsyncDropProperties properties = Binder.get(environment).bindOrCreate("async-drop",
                AsyncDropProperties.class);
        LeakDetection.Level level = properties.getLeakDetection().getLevel();
        if (level != null) {
            LeakDetection.setLevel(level);
        }
        return new BeanDropPostProcessor(new ContextDropCoordinator(settings(properties)));
    }

    @Bean
    @ConditionalOnMissingBean(value = BeanDropCoordinator.class, search = SearchStrategy.CURRENT)
    ContextDropCoordinator asyncDropCoordinator(BeanDropPostProcessor asyncDropBeanPostProcessor,
            ObjectProvider<LifecycleProperties> lifecycleProperties) {
        ContextDropCoordinator coordinator = asyncDropBeanPostProcessor.coordinator();
        LifecycleProperties lifecycle = lifecycleProperties.getIfAvailable();
        coordinator.setShutdownPhaseTimeout((lifecycle != null) ? lifecycle.getTimeoutPerShutdownPhase()
                : FRAMEWORK_SHUTDOWN_PHASE_TIMEOUT);
        return coordinator;
    }

    @Bean
    static LazyInitializationExcludeFilter asyncDropLazyInitializationExcludeFilter() {
        // With lazy initialization, droppable beans would be created on first use and miss the plan: the scope
        // would then drop them all at once, without their order.
        return LazyInitializationExcludeFilter.forBeanTypes(AsyncDroppable.class);
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
        return new DropSettings(properties.getPhase(), properties.getTimeoutPerPhase(), phaseTimeouts, resources,
                properties.getReport().isLog(), properties.getAdapters().isExecutorServices(),
                new LinkedHashSet<>(properties.getAdapters().getAutoCloseables()));
    }
}
