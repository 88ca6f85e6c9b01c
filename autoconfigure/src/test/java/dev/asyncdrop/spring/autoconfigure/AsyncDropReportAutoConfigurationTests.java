package dev.asyncdrop.spring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.report.LastShutdownMetrics;
import dev.asyncdrop.spring.report.ShutdownReportStore;
import dev.asyncdrop.spring.report.ShutdownSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(OutputCaptureExtension.class)
class AsyncDropReportAutoConfigurationTests {

    private static final Pattern WARNING = Pattern.compile("(?m)^.*WARN.*Ignoring the last shutdown report.*$");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                    AsyncDropReportAutoConfiguration.class, AsyncDropMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class))
            .withUserConfiguration(DroppableBeans.class)
            .withPropertyValues("async-drop.timeout-per-phase=5s");

    @TempDir
    Path reports;

    @Test
    void withoutAReportDirectoryNoReportIsKept() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ShutdownReportStore.class));
    }

    @Test
    void theShutdownWritesItsReportAndTheNextStartPublishesIt() throws IOException {
        ApplicationContextRunner runner = this.contextRunner
                .withPropertyValues("async-drop.report.directory=" + this.reports);

        runner.run((context) -> assertThat(context.getBean(ShutdownReportStore.class).lastShutdown()).isEmpty());

        assertThat(fileNames()).hasSize(3)
                .anyMatch((name) -> name.matches("asyncdrop-report-.*\\.json"))
                .anyMatch((name) -> name.matches("asyncdrop-trace-.*\\.json"))
                .anyMatch((name) -> name.matches("asyncdrop-summary-.*\\.properties"));
        runner.run((context) -> {
            ShutdownSummary last = context.getBean(ShutdownReportStore.class).lastShutdown().orElseThrow();
            assertThat(last.resources()).isGreaterThanOrEqualTo(2);
            assertThat(last.failures()).isZero();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            // The gauge keeps seconds as a double: nanoseconds come back from it within rounding.
            assertThat(registry.get(LastShutdownMetrics.DURATION).timeGauge().value(TimeUnit.NANOSECONDS))
                    .isCloseTo(last.makespan().toNanos(), within(1.0));
            assertThat(registry.get(LastShutdownMetrics.FAILURES).gauge().value()).isZero();
            assertThat(registry.get(LastShutdownMetrics.TIMEOUTS).gauge().value()).isZero();
        });
    }

    @Test
    void onlyTheConfiguredNumberOfShutdownsIsKept() throws IOException {
        ApplicationContextRunner runner = this.contextRunner
                .withPropertyValues("async-drop.report.directory=" + this.reports, "async-drop.report.keep=2");

        for (int i = 0; i < 3; i++) {
            runner.run((context) -> assertThat(context).hasNotFailed());
        }

        assertThat(fileNames()).hasSize(6);
    }

    @Test
    void anEmptySummaryIsIgnoredWithOneWarningAndTheContextStarts(CapturedOutput output) throws IOException {
        Path summary = Files.createFile(this.reports.resolve("asyncdrop-summary-20261126T083000.000Z.properties"));

        this.contextRunner.withPropertyValues("async-drop.report.directory=" + this.reports).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MeterRegistry.class).find(LastShutdownMetrics.DURATION).meter()).isNull();
        });

        assertThat(warnings(output)).singleElement().asString().contains(summary.toString());
    }

    @Test
    void aCorruptSummaryIsIgnoredWithOneWarningAndTheContextStarts(CapturedOutput output) throws IOException {
        Path summary = Files.writeString(this.reports.resolve("asyncdrop-summary-20261126T083000.000Z.properties"),
                "format=1\nmakespan=yesterday\n");

        this.contextRunner.withPropertyValues("async-drop.report.directory=" + this.reports)
                .run((context) -> assertThat(context).hasNotFailed());

        assertThat(warnings(output)).singleElement().asString().contains(summary.toString());
    }

    @Test
    void aMissingSummaryIsIgnoredWithOneWarningAndTheContextStarts(CapturedOutput output) throws IOException {
        Files.writeString(this.reports.resolve("asyncdrop-report-20261126T083000.000Z.json"), "{}");

        this.contextRunner.withPropertyValues("async-drop.report.directory=" + this.reports)
                .run((context) -> assertThat(context).hasNotFailed());

        assertThat(warnings(output)).singleElement().asString()
                .contains("asyncdrop-summary-20261126T083000.000Z.properties");
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(this.reports)) {
            return files.map((file) -> file.getFileName().toString()).toList();
        }
    }

    private static List<String> warnings(CapturedOutput output) {
        return WARNING.matcher(output.getAll()).results().map((match) -> match.group()).toList();
    }

    /** @return the report of a plan where one drop failed and one timed out */
    static DropReport failingReport() throws Exception {
        return DropPlan.builder()
                .add("writer", () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")))
                .add("hanging", CompletableFuture::new, (n) -> n.timeout(Duration.ofMillis(20)))
                .build()
                .execute()
                .get(30, TimeUnit.SECONDS);
    }

    static class Pool implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static class Writer implements AsyncDroppable {

        private final Pool pool;

        Writer(Pool pool) {
            this.pool = pool;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }

        Pool pool() {
            return this.pool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DroppableBeans {

        @Bean
        Pool pool() {
            return new Pool();
        }

        @Bean
        Writer writer(Pool pool) {
            return new Writer(pool);
        }
    }
}
