package dev.asyncdrop.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.micrometer.AsyncDropMetrics;
import dev.asyncdrop.micrometer.DefaultDropObservationConvention;
import dev.asyncdrop.micrometer.DropContext;
import dev.asyncdrop.micrometer.DropObservationConvention;
import dev.asyncdrop.micrometer.DropObservations;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.autoconfigure.AsyncDropReportAutoConfigurationTests.DroppableBeans;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncDropObservationAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                    AsyncDropObservationAutoConfiguration.class, ObservationAutoConfiguration.class))
            .withUserConfiguration(DroppableBeans.class)
            .withPropertyValues("async-drop.timeout-per-phase=5s");

    /** As with the actuator: an observation registry whose meter handler makes timers, and the metrics. */
    private final ApplicationContextRunner actuatorRunner = this.contextRunner
            .withConfiguration(AutoConfigurations.of(AsyncDropMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class));

    @Test
    void theContextsDropsAreObservedWhenAnObservationRegistryExists() {
        this.contextRunner.run((context) -> {
            List<String> observed = new CopyOnWriteArrayList<>();
            context.getBean(ObservationRegistry.class).observationConfig().observationHandler(
                    new ObservationHandler<>() {
                        @Override
                        public boolean supportsContext(Observation.Context observation) {
                            return true;
                        }

                        @Override
                        public void onStop(Observation.Context observation) {
                            observed.add(observation.getContextualName());
                        }
                    });
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();

            // Run the plan while the test can look; the test's beans do not mind being dropped again at close.
            plan.execute().get(30, TimeUnit.SECONDS);

            assertThat(context).hasSingleBean(DropObservations.class);
            assertThat(observed).contains("drop writer", "drop pool");
        });
    }

    @Test
    void withTheActuatorOneRuntimeDropIsOneTimerSampleAndNoOtherMeterFamilyTimesIt() {
        this.actuatorRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            AsyncDropGuard.of(new ObservedRequestScratch()).close();

            assertThat(registry.get("async.drop").tags("resource", "ObservedRequestScratch", "phase", "none",
                    "outcome", "success", "exception", "none").timer().count()).isEqualTo(1);
            assertThat(registry.find("async.drop").timers()).hasSize(1);
            // The observation handler's long task timer of drops in progress, the gauge of live guards, and the
            // counter of leaks (a guard leaked by an earlier test of this JVM may be found at any time).
            assertThat(registry.getMeters()).map(Meter::getId)
                    .filteredOn((id) -> id.getName().startsWith("async.drop"))
                    .allSatisfy((id) -> assertThat(id.getName()).isIn("async.drop", "async.drop.active",
                            "async.drop.guards.live", "async.drop.leaks"));
        });
    }

    @Test
    void withTheActuatorOneDropOfThePlanIsOneTimerSample() {
        this.actuatorRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            DropPlan plan = context.getBean(BeanDropCoordinator.class).plan().orElseThrow();

            // Meter registries are closed before the context's own drops, so run the plan while they are open.
            plan.execute().get(30, TimeUnit.SECONDS);

            assertThat(registry.find("async.drop").tags("resource", "writer").timers()).singleElement()
                    .satisfies((timer) -> assertThat(timer.count()).isEqualTo(1));
            assertThat(registry.get("async.drop.phase").timer().count()).isEqualTo(1);
            assertThat(registry.find("async.drop.plan.resource").meters()).isEmpty();
            assertThat(registry.find("async.drop.plan.phase").meters()).isEmpty();
            assertThat(context.getBean(AsyncDropMetrics.class)).isNotNull();
        });
    }

    @Test
    void aConventionBeanReplacesTheDefaultConventionOfDrops() {
        this.actuatorRunner.withUserConfiguration(ConventionConfiguration.class).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            AsyncDropGuard.of(new ObservedRequestScratch()).close();

            assertThat(registry.get("async.drop").tags("kind", "ObservedRequestScratch").timer().count())
                    .isEqualTo(1);
        });
    }

    @Test
    void withoutAnObservationRegistryNothingIsObserved() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                        AsyncDropObservationAutoConfiguration.class))
                .withPropertyValues("async-drop.timeout-per-phase=5s")
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DropObservations.class));
    }

    @Test
    void withoutMicrometerOnTheClassPathTheObservationsBackOffAndTheContextStarts() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DropObservations.class));
    }

    static final class ObservedRequestScratch implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConventionConfiguration {

        @Bean
        DropObservationConvention kindConvention() {
            return new DefaultDropObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(DropContext context) {
                    return KeyValues.of(KeyValue.of("kind", context.getResource()));
                }
            };
        }
    }
}
