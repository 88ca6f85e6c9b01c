package dev.asyncdrop.sample;

import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;

/**
 * The beans dropped at shutdown: the buffer, which implements {@code AsyncDroppable}, and the executor and the pool it
 * uses, which are Spring Boot's own, dropped by the starter's adapters ({@code async-drop.adapters.task-executors}, on
 * by default, and {@code async-drop.adapters.data-sources}). Constructor injection is all the ordering there is: the
 * buffer uses the executor and the pool, so the starter drops the buffer first and each of them only once it has
 * finished; and the executor before the pool, which is how the starter orders executors and pools that nothing else
 * orders.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventBufferProperties.class)
class SampleConfiguration {

    /**
     * The pool Spring Boot would build from {@code spring.datasource.*} and {@code spring.datasource.hikari.*}, with
     * one change for H2: H2 closes its databases in a JVM shutdown hook of its own, which runs at the same time as
     * Spring's and would close the database under the buffer's last batches. The pool's drop closes it instead, once
     * nothing uses it (its last connection goes, which writes the database file for good).
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties) {
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        String url = properties.determineUrl();
        if (url != null && url.startsWith("jdbc:h2:")
                && !url.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            dataSource.addDataSourceProperty("DB_CLOSE_ON_EXIT", "FALSE");
        }
        return dataSource;
    }

    /**
     * The buffer, whose writer task runs on Spring Boot's {@code applicationTaskExecutor} (a
     * {@code ThreadPoolTaskExecutor}, or a {@code SimpleAsyncTaskExecutor} with virtual threads).
     */
    @Bean
    @DependsOnDatabaseInitialization
    EventBuffer eventBuffer(HikariDataSource dataSource, TaskExecutor applicationTaskExecutor,
            EventBufferProperties properties) {
        return EventBuffer.start(dataSource, applicationTaskExecutor, properties);
    }

    /**
     * The buffer's counts, under {@code /actuator/metrics/sample.buffer.*}.
     */
    @Bean
    MeterBinder eventBufferMetrics(EventBuffer eventBuffer) {
        return (registry) -> {
            FunctionCounter.builder("sample.buffer.acknowledged", eventBuffer, EventBuffer::acknowledgedCount)
                .description("Events answered 202 Accepted")
                .baseUnit("events")
                .register(registry);
            FunctionCounter.builder("sample.buffer.persisted", eventBuffer, EventBuffer::persistedCount)
                .description("Events committed to table events")
                .baseUnit("events")
                .register(registry);
            Gauge.builder("sample.buffer.pending", eventBuffer,
                    (buffer) -> buffer.acknowledgedCount() - buffer.persistedCount())
                .description("Events acknowledged and not yet committed")
                .baseUnit("events")
                .register(registry);
        };
    }
}
