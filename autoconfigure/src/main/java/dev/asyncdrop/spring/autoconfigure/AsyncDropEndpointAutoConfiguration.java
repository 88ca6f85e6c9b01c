package dev.asyncdrop.spring.autoconfigure;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint;
import dev.asyncdrop.spring.report.ShutdownReportStore;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@link AsyncDropEndpoint}, when the actuator is on the class path and the endpoint is enabled and exposed (it is
 * not exposed over the web unless {@code management.endpoints.web.exposure.include} names {@code asyncdrop}).
 * Stateless, so thread-safe; the endpoint is thread-safe too.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { AsyncDropAutoConfiguration.class, AsyncDropReportAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(AsyncDropEndpoint.class)
public final class AsyncDropEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncDropEndpoint asyncDropEndpoint(ObjectProvider<BeanDropCoordinator> coordinator,
            ObjectProvider<ShutdownReportStore> reportStore) {
        ShutdownReportStore store = reportStore.getIfAvailable();
        return new AsyncDropEndpoint(
                () -> Optional.ofNullable(coordinator.getIfUnique()).flatMap(BeanDropCoordinator::plan),
                () -> Optional.ofNullable(coordinator.getIfUnique()).flatMap(BeanDropCoordinator::worstCase),
                (store != null) ? store.lastShutdown().orElse(null) : null);
    }
}
