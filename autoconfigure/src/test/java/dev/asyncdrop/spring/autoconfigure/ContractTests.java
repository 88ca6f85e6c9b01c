package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.AsyncDropPhases;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownReportListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Boot integration exactly as the design contract writes it: the default phase and where it sits among
 * Spring's own shutdown phases, and every {@code async-drop.*} property name with the type it binds to. A renamed
 * property or constant breaks this test rather than a user's configuration.
 */
class ContractTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class));

    @Test
    void theDefaultPhaseComesAfterTheWebServerAndBeforeTheExecutors() {
        int phase = AsyncDropPhases.DEFAULT;

        assertThat(phase).isEqualTo(Integer.MAX_VALUE - 4096)
            .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
            .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
            .isGreaterThan(Integer.MAX_VALUE / 2);
    }

    @Test
    void everyPropertyOfTheContractBindsUnderItsName(@TempDir Path reports) {
        LeakDetection.Level levelBefore = LeakDetection.level();
        contextRunner.withUserConfiguration(PoolConfiguration.class)
            .withPropertyValues("async-drop.enabled=true", "async-drop.phase=100", "async-drop.timeout-per-phase=7s",
                    "async-drop.phases.100.timeout=3s", "async-drop.resources.pool.phase=150",
                    "async-drop.resources.pool.timeout=2s", "async-drop.resources.pool.depends-on=executor",
                    "async-drop.leak-detection.level=sampled", "async-drop.report.log=false",
                    "async-drop.report.directory=" + reports)
            .run(context -> {
                assertThat(context).hasNotFailed();
                AsyncDropProperties properties = context.getBean(AsyncDropProperties.class);
                boolean enabled = properties.isEnabled();
                int phase = properties.getPhase();
                Duration timeoutPerPhase = properties.getTimeoutPerPhase();
                Map<Integer, AsyncDropProperties.Phase> phases = properties.getPhases();
                Map<String, AsyncDropProperties.Resource> resources = properties.getResources();
                AsyncDropProperties.Resource pool = resources.get("pool");
                LeakDetection.Level level = properties.getLeakDetection().getLevel();
                boolean log = properties.getReport().isLog();
                Path directory = properties.getReport().getDirectory();

                assertThat(enabled).isTrue();
                assertThat(phase).isEqualTo(100);
                assertThat(timeoutPerPhase).isEqualTo(Duration.ofSeconds(7));
                assertThat(phases.get(100).getTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(pool.getPhase()).isEqualTo(150);
                assertThat(pool.getTimeout()).isEqualTo(Duration.ofSeconds(2));
                assertThat(pool.getDependsOn()).containsExactly("executor");
                assertThat(level).isEqualTo(LeakDetection.Level.SAMPLED);
                assertThat(log).isFalse();
                assertThat(directory).isEqualTo(reports);
                assertThat(context.getBean(BeanDropCoordinator.class).plan().orElseThrow().phases())
                    .containsExactly(150, 100);
            });
        LeakDetection.setLevel(levelBefore);
    }

    @Test
    void theCoordinatorDescribesThePlanAndTheReport() {
        contextRunner.withUserConfiguration(PoolConfiguration.class)
            .withBean(ShutdownReportListener.class, () -> (DropReport report) -> {
            })
            .run(context -> {
                BeanDropCoordinator coordinator = context.getBean(BeanDropCoordinator.class);
                Optional<DropPlan> plan = coordinator.plan();
                Optional<DropReport> lastReport = coordinator.lastReport();

                assertThat(plan).get().extracting(DropPlan::phases).isEqualTo(List.of(AsyncDropPhases.DEFAULT));
                assertThat(lastReport).isEmpty();
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class PoolConfiguration {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events);
        }

        @Bean
        RecordingDroppable executor(DropEvents events) {
            return new RecordingDroppable("executor", events);
        }
    }
}
