package dev.asyncdrop.spring.autoconfigure.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableAsync;

import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the README's "Your pools" examples true: the {@code @Async} class compiles, and its writes land. */
class ReadmePoolsExampleTests {

    private static final String CLASS_START = "public class AuditLog {\n";

    @Test
    void theReadmeShowsAuditLogWordForWord() throws IOException {
        String section = section();
        int start = section.indexOf("```java\n") + "```java\n".length();
        String snippet = section.substring(start, section.indexOf("```", start));
        String body = snippet.substring(snippet.indexOf(CLASS_START));
        String source = Files.readString(Path.of("src", "test", "java", "dev", "asyncdrop", "spring", "autoconfigure",
                "readme", "AuditLog.java")).replace("\r\n", "\n");

        assertThat(snippet).startsWith("@Service\n");
        assertThat(source).contains(body);
    }

    @Test
    void theReadmeShowsTheThreeAdapterProperties() throws IOException {
        assertThat(section()).contains("async-drop.adapters.task-executors=true\n")
            .contains("async-drop.adapters.executor-services=true\n")
            .contains("async-drop.adapters.data-sources=true\n")
            .contains("async-drop.resources.applicationTaskExecutor.depends-on=batchWriter");
    }

    @Test
    void everyRecordInFlightAtCloseIsWritten() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class, AsyncDropAutoConfiguration.class))
            .withUserConfiguration(AuditConfiguration.class)
            .withPropertyValues("spring.datasource.url=" + url, "async-drop.adapters.data-sources=true",
                    "spring.task.execution.shutdown.await-termination=true")
            .run(context -> {
                context.getBean(JdbcTemplate.class).execute("create table audit (event varchar(20))");
                AuditLog audit = context.getBean(AuditLog.class);
                for (int i = 0; i < 100; i++) {
                    audit.record("event-" + i);
                }
                context.close();
            });
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from audit")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(100);
            statement.execute("drop all objects");
        }
    }

    private static String section() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md")).replace("\r\n", "\n");
        int start = readme.indexOf("## Your pools");
        assertThat(start).as("the README's section 'Your pools'").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, (end > 0) ? end : readme.length());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync(proxyTargetClass = true)
    @Import(AuditLog.class)
    static class AuditConfiguration {
    }
}
