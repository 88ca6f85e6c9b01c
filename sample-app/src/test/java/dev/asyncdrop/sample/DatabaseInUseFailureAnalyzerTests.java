package dev.asyncdrop.sample;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A second instance started on a database file another process holds open fails with a short explanation, not with
 * H2's stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseInUseFailureAnalyzerTests {

    @TempDir
    Path directory;

    @Test
    void startingOnADatabaseFileHeldByAnotherProcessFailsWithWhatToDo(CapturedOutput output) throws Exception {
        Path file = createDatabase();
        Throwable failure;
        // H2 shares a database between the connections of one JVM, so hold the file the way another process would.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            assertThat(lock.isValid()).isTrue();
            failure = catchThrowable(() -> InProcessSampleApp.start(this.directory).close());
        }

        assertThat(failure).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("The H2 database " + InProcessSampleApp.databaseUrl(this.directory) + " (file " + file
                    + ") is in use by another process, most likely another instance of this application started "
                    + "from the same directory or with the same --spring.datasource.url.")
            .contains("Stop the other instance, or give this one a database of its own, for example "
                    + "--spring.datasource.url=jdbc:h2:file:./data/second")
            .doesNotContain("\tat org.h2.");
    }

    @Test
    void theAnalysisNamesTheConfiguredDatabaseAndTheLockedFile() {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url",
                "jdbc:h2:file:./data/sample");
        SQLException inUse = new SQLException("Database may be already in use: \"/srv/sample/data/sample.mv.db\". "
                + "Possible solutions: close all other connection(s); use the server mode [90020-240]", "90020", 90020);

        FailureAnalysis analysis = new DatabaseInUseFailureAnalyzer(environment)
            .analyze(new IllegalStateException("Failed to obtain JDBC Connection", inUse));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("The H2 database jdbc:h2:file:./data/sample (file "
                + "/srv/sample/data/sample.mv.db) is in use by another process, most likely another instance of this "
                + "application started from the same directory or with the same --spring.datasource.url. H2 lets "
                + "one process at a time open a database file.");
        assertThat(analysis.getAction()).isEqualTo("Stop the other instance, or give this one a database of its own, "
                + "for example --spring.datasource.url=jdbc:h2:file:./data/second (and, if the other instance uses "
                + "the same port, --server.port=8081).");
        assertThat(analysis.getCause()).isSameAs(inUse);
    }

    @Test
    void otherDatabaseFailuresAreLeftToSpringBoot() {
        SQLException wrongPassword = new SQLException("Wrong user name or password [28000-240]", "28000", 28000);

        assertThat(new DatabaseInUseFailureAnalyzer(new MockEnvironment()).analyze(wrongPassword)).isNull();
    }

    private Path createDatabase() {
        new JdbcTemplate(new DriverManagerDataSource(InProcessSampleApp.databaseUrl(this.directory), "sa", ""))
            .execute("create table existing (id int)");
        return this.directory.toAbsolutePath().resolve("db.mv.db");
    }
}
