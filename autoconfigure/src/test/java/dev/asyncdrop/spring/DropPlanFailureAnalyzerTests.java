package dev.asyncdrop.spring;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Startup failures of the drop plan and of the configuration, as the failure analyzers explain them.
 */
@ExtendWith(OutputCaptureExtension.class)
class DropPlanFailureAnalyzerTests {

    /** Spring's warning when a refresh fails, which every test here provokes. */
    private static final String REFRESH_FAILED = "Exception encountered during context initialization - "
            + "cancelling refresh attempt";

    private static final String DROPPED_ONE_AT_A_TIME = "Cannot plan the drops of the beans created before the "
            + "context failed to start, so they are dropped one at a time, the last created first";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
        .withUserConfiguration(WriterRepositoryPoolConfiguration.class);

    @Test
    void aCycleIsDescribedBeanByBeanWithWhatToBreak(CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.resources.pool.depends-on=writer").run(context -> {
            FailureAnalysis analysis = new InvalidDropPlanFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                .startsWith("The beans below are dropped at shutdown but depend on each other in a cycle, so none "
                        + "of them can be dropped first:")
                .containsAnyOf("writer -> pool -> writer", "pool -> writer -> pool")
                .contains("- 'writer' depends on 'pool': 'repository' is injected into 'writer', and 'pool' is "
                        + "injected into 'repository'")
                .contains("- 'pool' depends on 'writer': async-drop.resources.pool.depends-on lists 'writer'");
            assertThat(analysis.getAction()).startsWith("Break the cycle by removing one of these dependencies:")
                .contains("- remove 'writer' from async-drop.resources.pool.depends-on")
                .contains("- change 'writer' so that it no longer uses 'pool' (the injection or @DependsOn named "
                        + "above)");
            assertThat(new DependencyCycleFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
            assertThat(output).contains(REFRESH_FAILED).contains(DROPPED_ONE_AT_A_TIME);
        });
    }

    @Test
    void aDependencyOnAHigherPhaseIsDescribedWithThePropertiesToChange(CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.resources.writer.phase=0").run(context -> {
            FailureAnalysis analysis = new InvalidDropPlanFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("The beans to drop at shutdown cannot be planned:")
                .contains("- Bean 'writer' is dropped in phase 0 but depends on bean 'pool', which is dropped in "
                        + "phase 2147479551: 'repository' is injected into 'writer', and 'pool' is injected into "
                        + "'repository'. Higher phases are dropped first, so 'pool' would be dropped while 'writer' "
                        + "may still use it. Drop 'writer' in phase 2147479551 or higher "
                        + "(async-drop.resources.writer.phase), drop 'pool' in phase 0 or lower "
                        + "(async-drop.resources.pool.phase), or remove the dependency.");
            assertThat(analysis.getAction()).startsWith("Update the async-drop configuration or the bean dependencies");
            assertThat(output).contains(REFRESH_FAILED).contains(DROPPED_ONE_AT_A_TIME);
        });
    }

    @Test
    void unknownAndUndroppableBeanNamesInTheConfigurationFailStartup(CapturedOutput output) {
        contextRunner
            .withPropertyValues("async-drop.resources.pol.timeout=1s", "async-drop.resources.repository.phase=3",
                    "async-drop.resources.writer.depends-on=pool,cache",
                    "async-drop.adapters.auto-closeables=dataSource")
            .run(context -> {
                FailureAnalysis analysis = new InvalidDropPlanFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription())
                    .contains("- async-drop.resources.pol configures 'pol', but there is no bean of that name")
                    .contains("- async-drop.resources.repository configures bean 'repository' ("
                            + Repository.class.getName() + "), which is not dropped at shutdown: it does not "
                            + "implement AsyncDroppable and is not adapted (async-drop.adapters)")
                    .contains("- async-drop.resources.writer.depends-on lists 'cache', but there is no bean of "
                            + "that name")
                    .contains("- async-drop.adapters.auto-closeables lists 'dataSource', but there is no bean of "
                            + "that name");
                assertThat(output).contains(REFRESH_FAILED);
            });
    }

    @Test
    void aNegativeOrZeroTimeoutFailsStartupNamingTheProperty(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> run("--async-drop.timeout-per-phase=-1s"));
        assertThat(failure).isNotNull();
        assertThat(output).contains("Property: async-drop.timeout-per-phase")
            .contains("Reason: java.lang.IllegalArgumentException: 'timeoutPerPhase' must be positive, but was PT-1S")
            .contains("Update your application's configuration");
        Throwable zero = catchThrowable(() -> run("--async-drop.resources.writer.timeout=0s"));
        assertThat(zero).isNotNull();
        assertThat(output).contains("Property: async-drop.resources.writer.timeout")
            .contains("'timeout' must be positive, but was PT0S");
    }

    @Test
    void otherInvalidValuesFailStartupWithTheReason(CapturedOutput output) {
        contextRunner.withPropertyValues("async-drop.phases.5.timeout=-2s")
            .run(context -> assertThat(context).getFailure()
                .hasRootCauseMessage("'timeout' must be positive, but was PT-2S"));
        contextRunner.withPropertyValues("async-drop.report.keep=0")
            .run(context -> assertThat(context).getFailure()
                .hasRootCauseMessage("'keep' must be at least 1, but was 0"));
        assertThat(output).contains(REFRESH_FAILED);
    }

    @Test
    void aFailedApplicationPrintsTheAnalysis(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> run("--async-drop.resources.pool.depends-on=writer"));
        assertThat(failure).isInstanceOf(InvalidDropPlanException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("depend on each other in a cycle")
            .contains("remove 'writer' from async-drop.resources.pool.depends-on");
    }

    @Test
    void aCycleInAPlanTheApplicationBuildsIsDescribed(CapturedOutput output) {
        new ApplicationContextRunner().withUserConfiguration(OwnPlanConfiguration.class).run(context -> {
            FailureAnalysis analysis = new DependencyCycleFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("The resources of a drop plan depend on each other in "
                    + "a cycle, so none of them can be dropped first:")
                .containsAnyOf("a -> b -> a", "b -> a -> b");
            assertThat(analysis.getAction()).contains("dependsOn");
            assertThat(output).contains(REFRESH_FAILED);
        });
    }

    private static void run(String... args) {
        new SpringApplicationBuilder(ApplicationConfiguration.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off")
            .run(args)
            .close();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(AsyncDropAutoConfiguration.class)
    static class ApplicationConfiguration extends WriterRepositoryPoolConfiguration {
    }

    @Configuration(proxyBeanMethods = false)
    static class WriterRepositoryPoolConfiguration {

        @Bean
        AsyncDroppable pool() {
            return () -> CompletableFuture.completedFuture(null);
        }

        @Bean
        Repository repository(AsyncDroppable pool) {
            return new Repository();
        }

        @Bean
        AsyncDroppable writer(Repository repository) {
            return () -> CompletableFuture.completedFuture(null);
        }
    }

    static class Repository {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPlanConfiguration {

        @Bean
        DropPlan plan() {
            AsyncDroppable resource = () -> CompletableFuture.completedFuture(null);
            return DropPlan.builder()
                .add("a", resource, spec -> spec.dependsOn("b"))
                .add("b", resource, spec -> spec.dependsOn("a"))
                .build();
        }
    }
}
