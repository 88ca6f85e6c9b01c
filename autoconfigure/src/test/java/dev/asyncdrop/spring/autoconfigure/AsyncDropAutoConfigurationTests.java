package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.context.support.SimpleThreadScope;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.AsyncDropPhases;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.internal.BeanDropPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, back-off, discovery and planning of {@link AsyncDropAutoConfiguration}.
 */
class AsyncDropAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class));

    @Test
    void providesTheCoordinatorTheScopeAndTheProperties() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(BeanDropCoordinator.class);
            assertThat(context).hasSingleBean(AsyncDropScope.class);
            assertThat(context).hasSingleBean(AsyncDropProperties.class);
            assertThat(context).hasSingleBean(BeanDropPostProcessor.class);
            assertThat(context.getBean(AsyncDropProperties.class).getPhase()).isEqualTo(AsyncDropPhases.DEFAULT);
        });
    }

    @Test
    void whenDisabledThenNothingIsConfiguredAndBeansAreNotDropped() {
        DropEvents events = new DropEvents();
        contextRunner.withPropertyValues("async-drop.enabled=false")
            .withBean("pool", RecordingDroppable.class, () -> new RecordingDroppable("pool", events))
            .run(context -> {
                assertThat(context).doesNotHaveBean(BeanDropCoordinator.class);
                assertThat(context).doesNotHaveBean(AsyncDropScope.class);
                assertThat(context).doesNotHaveBean(AsyncDropProperties.class);
                context.close();
                assertThat(events.list()).isEmpty();
            });
    }

    @Test
    void whenTheUserDefinesACoordinatorThenTheAutoConfigurationBacksOff() {
        BeanDropCoordinator own = new BeanDropCoordinator() {
            @Override
            public Optional<DropPlan> plan() {
                return Optional.empty();
            }

            @Override
            public Optional<DropReport> lastReport() {
                return Optional.empty();
            }
        };
        contextRunner.withBean(BeanDropCoordinator.class, () -> own).run(context -> {
            assertThat(context).getBean(BeanDropCoordinator.class).isSameAs(own);
            assertThat(context).doesNotHaveBean(BeanDropPostProcessor.class);
        });
    }

    @Test
    void whenTheUserDefinesAScopeThenItIsUsedAndDropped() {
        DropEvents events = new DropEvents();
        AsyncDropScope own = AsyncDropScope.create().unsafeIntoInnerDontDrop();
        contextRunner.withBean("myScope", AsyncDropScope.class, () -> own).run(context -> {
            assertThat(context).getBean(AsyncDropScope.class).isSameAs(own);
            own.track(new RecordingDroppable("tracked", events));
            context.close();
            assertThat(events.list()).containsExactly("start:tracked", "end:tracked");
        });
    }

    @Test
    void worksWithoutMicrometerAndActuatorOnTheClassPath() {
        DropEvents events = new DropEvents();
        contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, Endpoint.class))
            .withBean("pool", RecordingDroppable.class, () -> new RecordingDroppable("pool", events))
            .run(context -> {
                assertThat(context).hasNotFailed();
                context.close();
                assertThat(events.list()).containsExactly("start:pool", "end:pool");
            });
    }

    @Test
    void dependenciesAreFollowedThroughBeansThatAreNotDroppable() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class).run(context -> {
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
            assertThat(plan.resource("writer").orElseThrow().dependsOn()).containsExactly("pool");
            assertThat(plan.resource("pool").orElseThrow().dependents()).contains("writer");
            assertThat(plan.resource("repository")).isEmpty();
            assertThat(plan.phases()).containsExactly(AsyncDropPhases.DEFAULT);
        });
    }

    @Test
    void dependsOnAnnotationsAndPropertiesAddDependencies() {
        contextRunner.withUserConfiguration(IndependentConfiguration.class)
            .withPropertyValues("async-drop.resources.cache.depends-on=journal")
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("audit").orElseThrow().dependsOn()).containsExactly("journal");
                assertThat(plan.resource("cache").orElseThrow().dependsOn()).containsExactly("journal");
                assertThat(plan.resource("journal").orElseThrow().dependsOn()).isEmpty();
            });
    }

    @Test
    void perBeanPropertiesSetThePhaseAndTheTimeout() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.resources.pool.phase=100", "async-drop.resources.writer.timeout=3s",
                    "async-drop.phases.100.timeout=7s", "async-drop.timeout-per-phase=9s")
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                PlannedResource pool = plan.resource("pool").orElseThrow();
                PlannedResource writer = plan.resource("writer").orElseThrow();
                assertThat(pool.phase()).isEqualTo(100);
                assertThat(writer.phase()).isEqualTo(AsyncDropPhases.DEFAULT);
                assertThat(writer.timeout()).contains(Duration.ofSeconds(3));
                assertThat(pool.timeout()).isEmpty();
                assertThat(plan.phaseTimeout(100)).isEqualTo(Duration.ofSeconds(7));
                assertThat(plan.phaseTimeout(AsyncDropPhases.DEFAULT)).isEqualTo(Duration.ofSeconds(9));
            });
    }

    @Test
    void theDefaultPhaseCanBeChanged() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.phase=42")
            .run(context -> assertThat(context.getBean(BeanDropCoordinator.class).plan().orElseThrow().phases())
                .containsExactly(42));
    }

    @Test
    void aFactoryBeansProductIsDroppedAndItsDependenciesAreKnown() {
        DropEvents events = new DropEvents();
        contextRunner.withBean(DropEvents.class, () -> events)
            .withUserConfiguration(FactoryBeanConfiguration.class)
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("client").orElseThrow().resource()).isSameAs(context.getBean("client"));
                assertThat(plan.resource("user").orElseThrow().dependsOn()).containsExactly("client");
                assertThat(plan.resource("&client")).isEmpty();
                context.close();
                assertThat(events.list()).containsExactly("start:user", "end:user", "start:client", "end:client");
            });
    }

    @Test
    void aScopedProxyIsLeftToItsScope() {
        DropEvents events = new DropEvents();
        contextRunner.withInitializer(context -> context.getBeanFactory().registerScope("thread",
                new SimpleThreadScope()))
            .withBean(DropEvents.class, () -> events)
            .withUserConfiguration(ThreadScopedConfiguration.class)
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resources()).extracting(PlannedResource::name).containsExactly("asyncDropScope");
                context.getBean("perThread", RecordingDroppable.class).drops();
                context.close();
                assertThat(events.list()).isEmpty();
            });
    }

    @Test
    void theScopeIsDroppedBeforeTheSingletonsButAfterTheBeansThatUseIt() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withBean("scopeUser", ScopeUser.class)
            .run(context -> {
                DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
                assertThat(plan.resource("asyncDropScope").orElseThrow().dependsOn())
                    .containsExactlyInAnyOrder("writer", "pool");
                assertThat(plan.resource("scopeUser").orElseThrow().dependsOn()).containsExactly("asyncDropScope");
            });
    }

    @Test
    void theLeakDetectionLevelIsAppliedAtStartup() {
        LeakDetection.Level before = LeakDetection.level();
        try {
            contextRunner.withPropertyValues("async-drop.leak-detection.level=paranoid")
                .run(context -> assertThat(LeakDetection.level()).isEqualTo(LeakDetection.Level.PARANOID));
        }
        finally {
            LeakDetection.setLevel(before);
        }
    }

    @Test
    void theLeakDetectionLevelAppliesBeforeTheBeansAreCreatedAndIsRestoredWhenTheContextCloses() {
        LeakDetection.Level before = LeakDetection.level();
        LeakDetection.Level other = (before != LeakDetection.Level.PARANOID) ? LeakDetection.Level.PARANOID
                : LeakDetection.Level.DISABLED;
        try {
            contextRunner.withPropertyValues("async-drop.leak-detection.level=" + other)
                .withBean("levelAtCreation", LeakDetection.Level.class, LeakDetection::level)
                .run(context -> {
                    assertThat(context.getBean("levelAtCreation")).isEqualTo(other);
                    assertThat(LeakDetection.level()).isEqualTo(other);
                });
            assertThat(LeakDetection.level()).isEqualTo(before);
        }
        finally {
            LeakDetection.setLevel(before);
        }
    }

    @Test
    void theBeansItDeclaresHaveApiTypesNotInternalOnes() {
        contextRunner.withPropertyValues("async-drop.leak-detection.level=sampled").run(context -> {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            List<String> declared = new ArrayList<>();
            for (String name : beanFactory.getBeanDefinitionNames()) {
                if (beanFactory.getBeanDefinition(name) instanceof AnnotatedBeanDefinition definition
                        && definition.getFactoryMethodMetadata() != null && definition.getFactoryMethodMetadata()
                            .getDeclaringClassName()
                            .equals(AsyncDropAutoConfiguration.class.getName())) {
                    declared.add(definition.getFactoryMethodMetadata().getReturnTypeName());
                }
            }
            assertThat(declared).contains(BeanDropCoordinator.class.getName())
                .hasSizeGreaterThanOrEqualTo(5)
                .noneMatch(type -> type.contains(".internal."));
        });
    }

    @Test
    void springBootsLifecyclePropertiesAreWhereTheCoordinatorLooksForThem() {
        // The coordinator asks for them by the conventional name <prefix>-<class name>, which is cheaper than a
        // search by type through every bean definition.
        contextRunner.run(context -> assertThat(context.getBean("spring.lifecycle-" + LifecycleProperties.class
            .getName())).isInstanceOf(LifecycleProperties.class));
    }

    @Test
    void theLeakDetectionLevelIsLeftAloneWhenNotSet() {
        LeakDetection.Level before = LeakDetection.level();
        contextRunner.run(context -> assertThat(LeakDetection.level()).isEqualTo(before));
    }

    @Test
    void propertiesAreBoundWithTheirDefaults() {
        contextRunner.run(context -> {
            AsyncDropProperties properties = context.getBean(AsyncDropProperties.class);
            assertThat(properties.isEnabled()).isTrue();
            assertThat(properties.getTimeoutPerPhase()).isEqualTo(Duration.ofSeconds(20));
            assertThat(properties.getReport().isLog()).isTrue();
            assertThat(properties.getReport().getDirectory()).isNull();
            assertThat(properties.getReport().getKeep()).isEqualTo(10);
            assertThat(properties.getLeakDetection().getLevel()).isNull();
            assertThat(properties.getAdapters().isExecutorServices()).isFalse();
            assertThat(properties.getAdapters().getAutoCloseables()).isEmpty();
        });
    }

    @Test
    void propertiesAreBoundFromTheEnvironment() {
        contextRunner.withUserConfiguration(WriterRepositoryPoolConfiguration.class)
            .withPropertyValues("async-drop.report.directory=build/reports", "async-drop.report.keep=3",
                    "async-drop.resources.writer.depends-on=pool", "async-drop.phases.7.timeout=1s")
            .run(context -> {
                AsyncDropProperties properties = context.getBean(AsyncDropProperties.class);
                assertThat(properties.getReport().getDirectory()).hasToString("build/reports");
                assertThat(properties.getReport().getKeep()).isEqualTo(3);
                assertThat(properties.getResources().get("writer").getDependsOn()).containsExactly("pool");
                assertThat(properties.getPhases().get(7).getTimeout()).isEqualTo(Duration.ofSeconds(1));
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class WriterRepositoryPoolConfiguration {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events);
        }

        @Bean
        Repository repository(RecordingDroppable pool) {
            return new Repository(pool);
        }

        @Bean
        Writer writer(Repository repository, DropEvents events) {
            return new Writer(repository, events);
        }
    }

    /** Uses the pool, but is not droppable itself. */
    static class Repository {

        Repository(RecordingDroppable pool) {
        }
    }

    static class Writer extends RecordingDroppable {

        Writer(Repository repository, DropEvents events) {
            super("writer", events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class IndependentConfiguration {

        @Bean
        AsyncDroppable journal() {
            return () -> CompletableFuture.completedFuture(null);
        }

        @Bean
        @DependsOn("journal")
        AsyncDroppable audit() {
            return () -> CompletableFuture.completedFuture(null);
        }

        @Bean
        AsyncDroppable cache() {
            return () -> CompletableFuture.completedFuture(null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FactoryBeanConfiguration {

        @Bean
        ClientFactoryBean client(DropEvents events) {
            return new ClientFactoryBean(events);
        }

        @Bean
        ClientUser user(Client client, DropEvents events) {
            return new ClientUser(events);
        }
    }

    static class Client extends RecordingDroppable {

        Client(DropEvents events) {
            super("client", events);
        }
    }

    static class ClientUser extends RecordingDroppable {

        ClientUser(DropEvents events) {
            super("user", events);
        }
    }

    static class ClientFactoryBean implements FactoryBean<Client> {

        private final DropEvents events;

        ClientFactoryBean(DropEvents events) {
            this.events = events;
        }

        @Override
        public Client getObject() {
            return new Client(events);
        }

        @Override
        public Class<?> getObjectType() {
            return Client.class;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThreadScopedConfiguration {

        @Bean
        @Scope(scopeName = "thread", proxyMode = ScopedProxyMode.TARGET_CLASS)
        RecordingDroppable perThread(DropEvents events) {
            return new RecordingDroppable("perThread", events);
        }
    }

    /** Uses the scope to track resources it creates at run time. */
    static class ScopeUser implements AsyncDroppable {

        private final AsyncDropScope scope;

        ScopeUser(AsyncDropScope scope) {
            this.scope = scope;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
