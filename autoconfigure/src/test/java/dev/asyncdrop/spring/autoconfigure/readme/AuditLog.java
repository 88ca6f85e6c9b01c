package dev.asyncdrop.spring.autoconfigure.readme;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/** The README's {@code @Async} example, word for word: {@link ReadmePoolsExampleTests} keeps the two equal. */
@Service
public class AuditLog {

    private final JdbcTemplate jdbc;

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Async                                         // on Spring Boot's applicationTaskExecutor
    public void record(String event) {
        jdbc.update("insert into audit (event) values (?)", event);
    }
}
