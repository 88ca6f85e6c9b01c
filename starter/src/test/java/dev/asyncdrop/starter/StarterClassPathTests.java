package dev.asyncdrop.starter;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.BeanDropCoordinator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose only async-drop dependency is the starter, on the class path the starter alone gives: no
 * Micrometer meters (micrometer-core) and no actuator, while Spring Framework brings Micrometer's observation API.
 */
class StarterClassPathTests {

    @Test
    void theStarterBringsNeitherMicrometerCoreNorTheActuator() {
        assertThat(isPresent("io.micrometer.core.instrument.MeterRegistry")).isFalse();
        assertThat(isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint")).isFalse();
        assertThat(isPresent("io.micrometer.observation.ObservationRegistry")).isTrue();
    }

    @Test
    void anApplicationWithTheStarterAloneDropsItsBeansInOrderWithoutMetrics() {
        DropJournal journal = new DropJournal();
        try (ConfigurableApplicationContext context = run(WriterAndPoolConfiguration.class, journal)) {
            assertThat(context.getBeanNamesForType(BeanDropCoordinator.class)).hasSize(1);
            assertThat(context.getBeanNamesForType(AsyncDropScope.class)).hasSize(1);
            assertThat(asyncDropBeanTypes(context)).noneMatch(type -> type.startsWith("dev.asyncdrop.micrometer."))
                    .noneMatch(type -> type.startsWith("dev.asyncdrop.spring.actuate."));
        }
        assertThat(journal.dropped()).containsExactly("writer", "pool");
    }

    @Test
    void anObservationRegistryWithoutMicrometerCoreGetsTheDropsObserved() {
        DropJournal journal = new DropJournal();
        try (ConfigurableApplicationContext context = run(ObservedConfiguration.class, journal)) {
            assertThat(asyncDropBeanTypes(context)).contains("dev.asyncdrop.micrometer.DropObservations");
        }
        assertThat(journal.dropped()).containsExactly("writer", "pool");
    }

    private static ConfigurableApplicationContext run(Class<?> configuration, DropJournal journal) {
        return new SpringApplicationBuilder(configuration)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .initializers(context -> context.getBeanFactory().registerSingleton("dropJournal", journal))
                .run("--async-drop.timeout-per-phase=10s");
    }

    // Types from the bean definitions, so that reading them creates nothing.
    private static List<String> asyncDropBeanTypes(ConfigurableApplicationContext context) {
        return List.of(context.getBeanDefinitionNames()).stream()
                .map(context::getType)
                .filter(Objects::nonNull)
                .map(Class::getName)
                .filter(type -> type.startsWith("dev.asyncdrop."))
                .toList();
    }

    private static boolean isPresent(String className) {
        return ClassUtils.isPresent(className, StarterClassPathTests.class.getClassLoader());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WriterAndPoolConfiguration {

        @Bean
        Recording pool(DropJournal journal) {
            return new Recording("pool", journal);
        }

        @Bean
        Recording writer(Recording pool, DropJournal journal) {
            return new Recording("writer", journal);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ObservedConfiguration extends WriterAndPoolConfiguration {

        @Bean
        ObservationRegistry observationRegistry() {
            return ObservationRegistry.create();
        }
    }

    record DropJournal(List<String> dropped) {

        DropJournal() {
            this(new CopyOnWriteArrayList<>());
        }
    }

    record Recording(String name, DropJournal journal) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            this.journal.dropped().add(this.name);
            return CompletableFuture.completedFuture(null);
        }
    }
}
