package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.micrometer.AsyncDropMetrics;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.report.LastShutdownMetrics;
import dev.asyncdrop.spring.report.ShutdownReportStore;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncDropMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                    AsyncDropReportAutoConfiguration.class, AsyncDropMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withPropertyValues("async-drop.timeout-per-phase=5s");

    @TempDir
    Path reports;

    @Test
    void whenAMeterRegistryExistsTheMetricsAreBoundToItAndTimeGuardDrops() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(AsyncDropMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            AsyncDropGuard.of(new AutoConfiguredPool()).close();

            assertThat(registry.get("async.drop").tags("resource", "AutoConfiguredPool", "phase", "none").timer()
                    .count()).isEqualTo(1);
            assertThat(registry.find("async.drop.guards.live").gauge()).isNotNull();
        });
    }

    @Test
    void theMetricsAreADropListenerSoThatThePlansDropsAreTimed() {
        this.contextRunner.run((context) -> assertThat(context.getBeansOfType(DropListener.class))
                .containsValue(context.getBean(AsyncDropMetrics.class)));
    }

    @Test
    void theContextsPlanTimesItsDropsWithTheMetrics() {
        this.contextRunner.withUserConfiguration(AsyncDropReportAutoConfigurationTests.DroppableBeans.class)
                .run((context) -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();

                    // Meter registries are closed before the context's own drops, so run the plan while they are
                    // open; the test's beans do not mind being dropped again when the context closes.
                    plan.execute().get(30, TimeUnit.SECONDS);

                    assertThat(registry.get("async.drop").tags("resource", "writer", "outcome", "success").timer()
                            .count()).isEqualTo(1);
                    assertThat(registry.get("async.drop.phase").timers()).isNotEmpty();
                });
    }

    @Test
    void withoutAMeterRegistryTheMetricsBackOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                        AsyncDropMetricsAutoConfiguration.class))
                .withPropertyValues("async-drop.timeout-per-phase=5s")
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncDropMetrics.class));
    }

    @Test
    void withoutMicrometerOnTheClassPathTheMetricsBackOffAndTheContextStarts() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                        AsyncDropReportAutoConfiguration.class, AsyncDropMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .withPropertyValues("async-drop.timeout-per-phase=5s", "async-drop.report.directory=" + this.reports)
                .run((context) -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(AsyncDropMetricsAutoConfiguration.class)
                        .hasSingleBean(ShutdownReportStore.class));
    }

    @Test
    void aUserDefinedAsyncDropMetricsBeanIsUsedInstead() {
        this.contextRunner.withUserConfiguration(UserMetricsConfiguration.class)
                .run((context) -> assertThat(context).hasSingleBean(AsyncDropMetrics.class)
                        .hasBean("userMetrics"));
    }

    @Test
    void withoutAReportDirectoryNoLastShutdownIsPublished() {
        this.contextRunner.run((context) -> {
            assertThat(context).doesNotHaveBean(LastShutdownMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find(LastShutdownMetrics.DURATION).meter()).isNull();
        });
    }

    @Test
    void theLastShutdownKeptInTheReportDirectoryIsPublishedAsGauges() throws Exception {
        ShutdownReportStore.open(this.reports, 10).write(AsyncDropReportAutoConfigurationTests.failingReport());

        this.contextRunner.withPropertyValues("async-drop.report.directory=" + this.reports).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get(LastShutdownMetrics.DURATION).timeGauge().value()).isPositive();
            assertThat(registry.get(LastShutdownMetrics.FAILURES).gauge().value()).isEqualTo(1);
            assertThat(registry.get(LastShutdownMetrics.TIMEOUTS).gauge().value()).isEqualTo(1);
        });
    }

    @Test
    void eachResourcesDropInTheLastShutdownIsATimeGaugeAtTheNextStart() throws Exception {
        DropReport last = AsyncDropReportAutoConfigurationTests.failingReport();
        ShutdownReportStore.open(this.reports, 10).write(last);

        this.contextRunner.withPropertyValues("async-drop.report.directory=" + this.reports).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find(LastShutdownMetrics.RESOURCE).timeGauges()).hasSize(2);
            TimeGauge writer = registry.get(LastShutdownMetrics.RESOURCE)
                    .tags("resource", "writer", "phase", "0", "outcome", "failure")
                    .timeGauge();
            TimeGauge hanging = registry.get(LastShutdownMetrics.RESOURCE)
                    .tags("resource", "hanging", "phase", "0", "outcome", "timeout")
                    .timeGauge();
            assertThat(hanging.value(TimeUnit.NANOSECONDS)).isEqualTo(
                    last.records().stream().filter((record) -> record.name().equals("hanging")).findFirst()
                            .orElseThrow().duration().toNanos());
            assertThat(writer.value(TimeUnit.NANOSECONDS)).isNotNegative();
        });
    }

    static class AutoConfiguredPool implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserMetricsConfiguration {

        @Bean
        AsyncDropMetrics userMetrics() {
            return new AsyncDropMetrics();
        }
    }
}
