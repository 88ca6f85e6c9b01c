package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.InvalidDropPlanException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bean names in {@code async-drop.resources.<bean>} bind as relaxed as any Spring Boot property: an environment
 * variable (upper case, no dashes) or a kebab-case key reaches a camel-case bean name.
 */
class ResourceNameBindingTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        .withBean("myPool", RecordingDroppable.class, () -> new RecordingDroppable("myPool", new DropEvents()))
        .withBean("writer", RecordingDroppable.class, () -> new RecordingDroppable("writer", new DropEvents()));

    @Test
    void anEnvironmentVariableReachesACamelCaseBeanName() {
        contextRunner.withInitializer(context -> environmentVariables(context,
                "ASYNCDROP_RESOURCES_MYPOOL_TIMEOUT=300ms", "ASYNCDROP_RESOURCES_MYPOOL_PHASE=7"))
            .run(context -> {
                assertThat(context).hasNotFailed();
                PlannedResource pool = plan(context).resource("myPool").orElseThrow();
                assertThat(pool.timeout()).contains(Duration.ofMillis(300));
                assertThat(pool.phase()).isEqualTo(7);
            });
    }

    @Test
    void anEnvironmentVariableOverridesTheSameSettingInAFileWhileTheFilesOtherSettingsStay() {
        contextRunner
            .withPropertyValues("async-drop.resources.myPool.timeout=1s", "async-drop.resources.myPool.phase=7")
            .withInitializer(context -> environmentVariables(context, "ASYNCDROP_RESOURCES_MYPOOL_TIMEOUT=300ms"))
            .run(context -> {
                PlannedResource pool = plan(context).resource("myPool").orElseThrow();
                assertThat(pool.timeout()).contains(Duration.ofMillis(300));
                assertThat(pool.phase()).isEqualTo(7);
            });
    }

    @Test
    void aKebabCaseKeyReachesACamelCaseBeanName() {
        contextRunner.withPropertyValues("async-drop.resources.my-pool.timeout=2s",
                "async-drop.resources.writer.depends-on=myPool")
            .run(context -> {
                DropPlan plan = plan(context);
                assertThat(plan.resource("myPool").orElseThrow().timeout()).contains(Duration.ofSeconds(2));
                assertThat(plan.resource("writer").orElseThrow().dependsOn()).containsExactly("myPool");
            });
    }

    @Test
    void aKeyThatNamesABeanExactlyIsThatBeansEvenWhenAnotherDiffersOnlyInCase() {
        contextRunner
            .withBean("mypool", RecordingDroppable.class, () -> new RecordingDroppable("mypool", new DropEvents()))
            .withPropertyValues("async-drop.resources.myPool.timeout=2s")
            .run(context -> {
                DropPlan plan = plan(context);
                assertThat(plan.resource("myPool").orElseThrow().timeout()).contains(Duration.ofSeconds(2));
                assertThat(plan.resource("mypool").orElseThrow().timeout()).isEmpty();
            });
    }

    @Test
    void aKeyThatMatchesSeveralBeansOnlyLooselyFailsStartupNamingThem() {
        contextRunner
            .withBean("my-pool", RecordingDroppable.class, () -> new RecordingDroppable("my-pool", new DropEvents()))
            .withInitializer(context -> environmentVariables(context, "ASYNCDROP_RESOURCES_MYPOOL_TIMEOUT=300ms"))
            .run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).isInstanceOf(InvalidDropPlanException.class)
                    .hasMessageContaining("async-drop.resources.mypool matches beans 'myPool' and 'my-pool'")
                    .hasMessageContaining("name one exactly, as in async-drop.resources.myPool.");
            });
    }

    @Test
    void aKeyThatMatchesNoBeanStillFailsStartupNamingIt() {
        contextRunner
            .withInitializer(context -> environmentVariables(context, "ASYNCDROP_RESOURCES_MYPOLL_TIMEOUT=1s"))
            .run(context -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).isInstanceOf(InvalidDropPlanException.class)
                    .hasMessageContaining("async-drop.resources.mypoll configures 'mypoll', but there is no bean of "
                            + "that name");
            });
    }

    private static DropPlan plan(ConfigurableApplicationContext context) {
        return context.getBean(BeanDropCoordinator.class).plan().orElseThrow();
    }

    /**
     * Adds environment variables the way the operating system's are: a SystemEnvironmentPropertySource whose name
     * tells Spring Boot to map its names as environment variables.
     */
    private static void environmentVariables(ConfigurableApplicationContext context, String... pairs) {
        TestPropertyValues.of(pairs)
            .applyTo(context.getEnvironment(), TestPropertyValues.Type.SYSTEM_ENVIRONMENT,
                    "environmentVariables-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    }
}
