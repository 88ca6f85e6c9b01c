package dev.asyncdrop.spring.autoconfigure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import dev.asyncdrop.coordinator.DropOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Async} methods that write through a {@code JdbcTemplate}, 20 of them in flight when the context closes, on
 * Spring Boot's auto-configured {@code applicationTaskExecutor} and HikariCP: every write lands, with no async-drop
 * configuration, whatever Spring Boot's own shutdown settings. Without the starter, Spring Boot's
 * {@code await-termination=true} (and its executor on virtual threads) closes the pool while the tasks still run.
 */
@ExtendWith(OutputCaptureExtension.class)
class AsyncWritesAtShutdownTests {

    private static final int TASKS = 20;

    private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, DataSourceAutoConfiguration.class,
                JdbcTemplateAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
                AsyncDropAutoConfiguration.class))
        .withUserConfiguration(AsyncWriterConfiguration.class)
        .withBean(ReportCapture.class)
        .withPropertyValues("spring.datasource.url=" + url);

    @Test
    void everyWriteLandsWithSpringsDefaults() throws Exception {
        assertThat(writesLandedAfterClose(contextRunner)).isEqualTo(TASKS);
    }

    @Test
    void everyWriteLandsWhenSpringBootIsToldToAwaitTermination() throws Exception {
        assertThat(writesLandedAfterClose(contextRunner
            .withPropertyValues("spring.task.execution.shutdown.await-termination=true"))).isEqualTo(TASKS);
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void everyWriteLandsOnVirtualThreads() throws Exception {
        assertThat(writesLandedAfterClose(contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")))
            .isEqualTo(TASKS);
    }

    @Test
    void theDataSourceIsClosedAfterTheExecutorWhenItIsDroppedToo() throws Exception {
        AtomicReference<ReportCapture> reports = new AtomicReference<>();
        assertThat(writesLandedAfterClose(contextRunner.withPropertyValues("async-drop.adapters.data-sources=true",
                "spring.task.execution.shutdown.await-termination=true"), reports)).isEqualTo(TASKS);
        assertThat(reports.get().outcomes()).containsEntry("applicationTaskExecutor", DropOutcome.DROPPED)
            .containsEntry("dataSource", DropOutcome.DROPPED);
        assertThat(reports.get().records().get("dataSource").startOffset())
            .isGreaterThanOrEqualTo(reports.get().records().get("applicationTaskExecutor").endOffset());
    }

    private int writesLandedAfterClose(ApplicationContextRunner runner) throws Exception {
        return writesLandedAfterClose(runner, new AtomicReference<>());
    }

    private int writesLandedAfterClose(ApplicationContextRunner runner, AtomicReference<ReportCapture> reports)
            throws Exception {
        runner.run(context -> {
            context.getBean(JdbcTemplate.class).execute("create table writes (id int)");
            reports.set(context.getBean(ReportCapture.class));
            AsyncWriter writer = context.getBean(AsyncWriter.class);
            for (int i = 0; i < TASKS; i++) {
                // Running or queued once this returns; each writes once the context has started to close.
                writer.write(i);
            }
            context.close();
        });
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select count(*) from writes")) {
                rows.next();
                return rows.getInt(1);
            }
            finally {
                statement.execute("drop all objects");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync(proxyTargetClass = true)
    static class AsyncWriterConfiguration {

        @Bean
        AsyncWriter asyncWriter(JdbcTemplate jdbc) {
            return new AsyncWriter(jdbc);
        }
    }

    /**
     * Writes a row on Spring Boot's executor, after a wait for the context to start closing and a little work.
     */
    static class AsyncWriter implements ApplicationListener<ContextClosedEvent> {

        private final JdbcTemplate jdbc;

        private final CountDownLatch closing = new CountDownLatch(1);

        AsyncWriter(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Async
        public void write(int id) throws InterruptedException {
            closing.await(30, TimeUnit.SECONDS);
            // The work a task does before it writes: longer than the rest of the shutdown takes without waiting.
            Thread.sleep(Duration.ofMillis(200).toMillis());
            jdbc.update("insert into writes (id) values (?)", id);
        }

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            closing.countDown();
        }
    }

}
