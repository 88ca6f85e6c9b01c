package dev.asyncdrop.spring;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;
import dev.asyncdrop.spring.autoconfigure.PhasedLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A shutdown whose worst case exceeds {@code async-drop.shutdown-budget}, as its failure analyzer explains it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownBudgetFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withUserConfiguration(WebServerPoolsAndExecutorConfiguration.class)
        .withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=30s", "async-drop.shutdown-budget=30s");

    @Test
    void aShutdownOverItsBudgetIsDescribedPhaseByPhaseWithThePropertiesToChange(CapturedOutput output) {
        contextRunner.run(context -> {
            FailureAnalysis analysis = new ShutdownBudgetFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo(String.join(System.lineSeparator(),
                    "The shutdown can take up to 81s, longer than its budget of 30s (async-drop.shutdown-budget). "
                            + "Spring stops the lifecycle phases below one after another, highest first, and waits "
                            + "for each up to its timeout, which for a phase with drops is at least as long as its "
                            + "drops may take:",
                    "",
                    "    - phase 2147482623, webServerGracefulShutdown: up to 30s "
                            + "(spring.lifecycle.timeout-per-shutdown-phase)",
                    "    - phase 2147479551, the drops of 3 beans: up to 21s (async-drop.timeout-per-phase, 20s, plus "
                            + "1s for its log and report)",
                    "    - phase 1073741823, applicationTaskExecutor: up to 30s "
                            + "(spring.lifecycle.timeout-per-shutdown-phase)"));
            assertThat(analysis.getAction()).isEqualTo("Update the configuration so that these timeouts add up to "
                    + "30s or less: lower spring.lifecycle.timeout-per-shutdown-phase (now 30s, waited for in 2 "
                    + "phases) or async-drop.timeout-per-phase (now 20s). If the platform gives the application more "
                    + "time to stop, raise async-drop.shutdown-budget to match (on Kubernetes: "
                    + "terminationGracePeriodSeconds minus any preStop delay).");
            assertThat(context.getStartupFailure()).isInstanceOf(ShutdownBudgetExceededException.class)
                .hasMessageStartingWith("The shutdown can take up to 81s");
            assertThat(output).contains("Exception encountered during context initialization");
        });
    }

    @Test
    void theTimeoutOfOneDropPhaseIsNamedByItsOwnProperty(CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.phases.2147479551.timeout=10s").run(context -> {
            FailureAnalysis analysis = new ShutdownBudgetFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("    - phase 2147479551, the drops of 3 beans: up to 11s "
                    + "(async-drop.phases.2147479551.timeout, 10s, plus 1s for its log and report)");
            assertThat(analysis.getAction()).contains("async-drop.phases.2147479551.timeout (now 10s)");
        });
    }

    @Test
    void theBeansADropPhaseStopsBesideItsDropsAreNamedToo(CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.phase=1073741823").run(context -> {
            FailureAnalysis analysis = new ShutdownBudgetFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            // The executor is bounded by Spring's 30s: the drops' 21s does not shorten that wait.
            assertThat(analysis.getDescription()).contains("    - phase 1073741823, the drops of 3 beans and "
                    + "applicationTaskExecutor: up to 30s (spring.lifecycle.timeout-per-shutdown-phase, longer than "
                    + "its drops may take, and never shortened for them)");
        });
    }

    @Test
    void aFailedApplicationPrintsTheAnalysis(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ApplicationConfiguration.class)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "async-drop.shutdown-budget=5s")
            .run()
            .close());
        assertThat(failure).isInstanceOf(ShutdownBudgetExceededException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("longer than its budget of 5s (async-drop.shutdown-budget)")
            .contains("raise async-drop.shutdown-budget to match");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class })
    static class ApplicationConfiguration extends WebServerPoolsAndExecutorConfiguration {
    }

    /** Lifecycle beans where a web application has them, and two droppable beans. */
    @Configuration(proxyBeanMethods = false)
    static class WebServerPoolsAndExecutorConfiguration {

        @Bean
        SmartLifecycle webServerGracefulShutdown() {
            return new PhasedLifecycle.Waited(Integer.MAX_VALUE - 1024);
        }

        @Bean
        SmartLifecycle applicationTaskExecutor() {
            return new PhasedLifecycle.Waited(Integer.MAX_VALUE / 2);
        }

        @Bean
        AsyncDroppable pool() {
            return () -> CompletableFuture.completedFuture(null);
        }

        @Bean
        AsyncDroppable writer() {
            return () -> CompletableFuture.completedFuture(null);
        }
    }
}
