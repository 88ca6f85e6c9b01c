package dev.asyncdrop.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;

@ExtendWith(CapturedLog.class)
class ContextShutdownTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
            .withUserConfiguration(WriterConfiguration.class);

    @Test
    void closesAContextWithTheAutoConfigurationAndReturnsTheReportOfItsDropsInDependencyOrder() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(AsyncDropAutoConfiguration.class, WriterConfiguration.class);
        context.refresh();

        DropReport report = ContextShutdown.closeAndReport(context);

        assertThat(context.isClosed()).isTrue();
        // writer -> repository -> pool: the writer uses the pool through a bean that is not droppable.
        DropAssertions.assertThat(report).hasNoFailures().dropped("writer", "pool").droppedBefore("writer", "pool");
        assertThat(CapturedLog.messages()).anySatisfy(logged -> assertThat(logged).startsWith("Drop phase "));
    }

    @Test
    void closesTheContextOfAnApplicationContextRunnerAndReturnsItsReport() {
        this.runner.run(context -> {
            DropReport report = ContextShutdown.closeAndReport(context);

            assertThat(context.isClosed()).isTrue();
            DropAssertions.assertThat(report).hasNoFailures().droppedBefore("writer", "pool");
        });
    }

    @Test
    void aContextWithoutTheStarterIsRejectedSayingToAddIt() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                WriterConfiguration.class)) {
            assertThatIllegalStateException().isThrownBy(() -> ContextShutdown.closeAndReport(context))
                    .withMessageStartingWith("Application context '" + context.getId() + "' has no "
                            + "BeanDropCoordinator bean, so async-drop does not drop its beans and there is no report.")
                    .withMessageContaining("Add the async-drop-spring-boot-starter dependency")
                    .withMessageContaining("AutoConfigurations.of(AsyncDropAutoConfiguration.class)");
            assertThat(context.isActive()).as("left open, for its owner to close").isTrue();
        }
    }

    @Test
    void aContextWithAsyncDropDisabledIsRejectedSayingSo() {
        this.runner.withPropertyValues("async-drop.enabled=false").run(context ->
                assertThatIllegalStateException().isThrownBy(() -> ContextShutdown.closeAndReport(context))
                        .withMessageContaining("has no BeanDropCoordinator bean")
                        .withMessageContaining("make sure async-drop.enabled is not false"));
    }

    @Test
    void aClosedContextIsRejectedSayingToPassItOpen() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                AsyncDropAutoConfiguration.class, WriterConfiguration.class);
        context.close();

        assertThatIllegalStateException().isThrownBy(() -> ContextShutdown.closeAndReport(context))
                .withMessage("Application context '" + context.getId() + "' is already closed, so its drops are over "
                        + "and their report can no longer be looked up. Pass the open context to closeAndReport, "
                        + "which closes it.");
    }

    @Test
    void aContextNeverRefreshedIsRejectedSayingToRefreshIt() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

        assertThatIllegalStateException().isThrownBy(() -> ContextShutdown.closeAndReport(context))
                .withMessageContaining("has not been refreshed, so it has no beans to drop yet");
    }

    @Test
    void aContextThatFailedToStartIsRejectedWithItsStartupFailure() {
        this.runner.withBean("broken", Object.class, () -> {
            throw new IllegalStateException("no database");
        }).run(context -> assertThatIllegalStateException().isThrownBy(() -> ContextShutdown.closeAndReport(context))
                .withMessageContaining("failed to start")
                .withStackTraceContaining("no database"));
        assertThat(CapturedLog.messages()).anySatisfy(logged -> assertThat(logged)
                .contains("Exception encountered during context initialization"));
    }

    @Test
    void aCoordinatorOfTheApplicationThatReportsNothingIsNamed() {
        new ApplicationContextRunner().withBean(BeanDropCoordinator.class, SilentCoordinator::new).run(context ->
                assertThatIllegalStateException().isThrownBy(() -> ContextShutdown.closeAndReport(context))
                        .withMessageContaining("closed, but its BeanDropCoordinator ("
                                + SilentCoordinator.class.getName() + ") reported no drops"));
    }

    @Test
    void twoCoordinatorsAreRejectedNamingThem() {
        new ApplicationContextRunner().withBean("first", BeanDropCoordinator.class, SilentCoordinator::new)
                .withBean("second", BeanDropCoordinator.class, SilentCoordinator::new)
                .run(context -> assertThatIllegalStateException()
                        .isThrownBy(() -> ContextShutdown.closeAndReport(context))
                        .withMessageContaining("has 2 BeanDropCoordinator beans [first, second]"));
    }

    @Test
    void aNullContextIsRejectedNamingTheParameter() {
        assertThatThrownBy(() -> ContextShutdown.closeAndReport(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("'context' must not be null");
    }

    /** A drop that takes a moment, so that an order mistake would show in the report's times. */
    private static CompletionStage<Void> briefly() {
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
    }

    @Configuration(proxyBeanMethods = false)
    static class WriterConfiguration {

        @Bean
        Pool pool() {
            return new Pool();
        }

        @Bean
        Repository repository(Pool pool) {
            return new Repository(pool);
        }

        @Bean
        Writer writer(Repository repository) {
            return new Writer(repository);
        }
    }

    static final class Pool implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return briefly();
        }
    }

    record Repository(Pool pool) {
    }

    record Writer(Repository repository) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return briefly();
        }
    }

    static final class SilentCoordinator implements BeanDropCoordinator {

        @Override
        public Optional<DropPlan> plan() {
            return Optional.empty();
        }

        @Override
        public Optional<DropReport> lastReport() {
            return Optional.empty();
        }
    }
}
