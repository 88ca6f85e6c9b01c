package dev.asyncdrop.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.asyncdrop.micrometer.AsyncDropMetrics;
import dev.asyncdrop.micrometer.DropObservations;
import dev.asyncdrop.spring.report.LastShutdownMetrics;
import dev.asyncdrop.spring.report.ShutdownReportStore;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the async-drop meters,
 * when Micrometer is on the class path and a {@link MeterRegistry} bean exists. Spring Boot binds the
 * {@link AsyncDropMetrics} bean to its registries. Each drop is timed once: when a {@link DropObservations} bean
 * observes the drops, the observations' meter handler makes the timers and the metrics count only leaks and live
 * guards; otherwise the metrics time runtime guard drops and, being a {@code DropListener} bean, the drops of the
 * context's plan. When the previous shutdown's report was kept, its figures are published too. Stateless, so
 * thread-safe; the beans it provides are thread-safe too.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { AsyncDropAutoConfiguration.class, AsyncDropReportAutoConfiguration.class,
        AsyncDropObservationAutoConfiguration.class },
        afterName = {
                // Spring Boot 4
                "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple."
                        + "SimpleMetricsExportAutoConfiguration",
                // Spring Boot 3.5
                "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.metrics.export.simple."
                        + "SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class AsyncDropMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AsyncDropMetrics asyncDropMetrics(ObjectProvider<DropObservations> observations) {
        return (observations.getIfAvailable() != null) ? AsyncDropMetrics.forObservedDrops(Tags.empty())
                : new AsyncDropMetrics();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ShutdownReportStore.class)
    LastShutdownMetrics asyncDropLastShutdownMetrics(ShutdownReportStore store) {
        return new LastShutdownMetrics(store);
    }
}
