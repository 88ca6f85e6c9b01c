package dev.asyncdrop.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.asyncdrop.micrometer.DropObservations;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of observations of the
 * context's drops, when an {@link ObservationRegistry} bean exists: being a {@code DropListener} bean, the
 * {@link DropObservations} bean joins the context's plan, so that a tracing backend sees the shutdown as a trace.
 * Stateless, so thread-safe; the observations are thread-safe too.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = AsyncDropAutoConfiguration.class,
        afterName = {
                // Spring Boot 4
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
                // Spring Boot 3.5
                "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class AsyncDropObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DropObservations asyncDropObservations(ObservationRegistry observationRegistry) {
        return new DropObservations(observationRegistry);
    }
}
