package dev.asyncdrop.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import dev.asyncdrop.LeakDetection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code async-drop.leak-detection.level}: empty keeps the JVM's level, as if it were not set; a value that is not a
 * level fails startup with Spring Boot's analysis of a property that cannot be bound.
 */
class LeakDetectionLevelPropertyTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class));

    @Test
    void anEmptyLevelFromTheEnvironmentKeepsTheCurrentLevel() {
        LeakDetection.Level before = LeakDetection.level();
        try {
            contextRunner
                .withInitializer(context -> context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of("ASYNCDROP_LEAKDETECTION_LEVEL", ""))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getEnvironment().getProperty("async-drop.leak-detection.level")).isEmpty();
                    assertThat(LeakDetection.level()).isEqualTo(before);
                    assertThat(context.getBean(AsyncDropProperties.class).getLeakDetection().getLevel()).isNull();
                });
            assertThat(LeakDetection.level()).isEqualTo(before);
        }
        finally {
            LeakDetection.setLevel(before);
        }
    }

    @Test
    void anInvalidLevelFailsStartupWithTheAcceptedValues() {
        LeakDetection.Level before = LeakDetection.level();
        try {
            contextRunner.withPropertyValues("async-drop.leak-detection.level=paranoia").run(context -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                assertThat(causes(failure)).hasAtLeastOneElementOfType(BindException.class);
                // What SpringApplication would report, without one (it would reset the logging other tests capture).
                FailureAnalysis analysis = analyze(failure);
                assertThat(analysis.getDescription())
                    .contains("Failed to bind properties under 'async-drop.leak-detection.level'");
                assertThat(analysis.getAction()).contains("The following values are valid:")
                    .contains("DISABLED")
                    .contains("PARANOID")
                    .contains("SAMPLED");
            });
            assertThat(LeakDetection.level()).isEqualTo(before);
        }
        finally {
            LeakDetection.setLevel(before);
        }
    }

    /** The first analysis of Spring Boot's failure analyzers, in their order, as SpringApplication reports it. */
    private static FailureAnalysis analyze(Throwable failure) {
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, ArgumentResolver.none(), FailureHandler.handleMessage((message, ex) -> {
                // Analyzers that need the context's bean factory or environment are not needed here.
            }));
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("No failure analysis of " + failure);
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }
}
