package dev.asyncdrop.spring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.asyncdrop.coordinator.DropPlan;
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
}
