package dev.asyncdrop.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.asyncdrop.micrometer.DropObservationConvention;
import dev.asyncdrop.micrometer.DropObservations;
import dev.asyncdrop.micrometer.DropPhaseObservationConvention;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the observations of
 * drops, when an {@link ObservationRegistry} bean exists: the {@link DropObservations} bean observes every runtime
 * guard drop and, being a {@code DropListener} bean, the drops of the context's plan. Spring Boot's meter handler
 * makes the {@code async.drop} and {@code async.drop.phase} timers from the observations, and a tracing handler
 * makes spans. A {@link DropObservationConvention} or {@link DropPhaseObservationConvention} bean replaces the default
 * convention. Stateless, so thread-safe; the observations are thread-safe too.
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
    DropObservations asyncDropObservations(ObservationRegistry observationRegistry,
            ObjectProvider<DropObservationConvention> dropConvention,
            ObjectProvider<DropPhaseObservationConvention> phaseConvention) {
        return new DropObservations(observationRegistry, dropConvention.getIfUnique(), phaseConvention.getIfUnique());
    }
}
