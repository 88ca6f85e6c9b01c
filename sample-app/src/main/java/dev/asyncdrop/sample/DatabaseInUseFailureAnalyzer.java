package dev.asyncdrop.sample;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.h2.api.ErrorCode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a start that failed because another process holds the H2 database file, most often a second instance of
 * the sample started from the same directory: which database, and what to do, instead of H2's stack trace.
 */
class DatabaseInUseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    private static final Pattern LOCKED_FILE = Pattern.compile("already in use: \"([^\"]+)\"");

    private final Environment environment;

    DatabaseInUseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        for (Throwable candidate = cause; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return new FailureAnalysis(describe(sql), action(), sql);
            }
        }
        return null;
    }

    private String describe(SQLException inUse) {
        String url = this.environment.getProperty("spring.datasource.url", "of this application");
        Matcher file = LOCKED_FILE.matcher(String.valueOf(inUse.getMessage()));
        return "The H2 database " + url + (file.find() ? " (file " + file.group(1) + ")" : "")
                + " is in use by another process, most likely another instance of this application started from "
                + "the same directory or with the same --spring.datasource.url. H2 lets one process at a time open a "
                + "database file.";
    }

    private static String action() {
        return "Stop the other instance, or give this one a database of its own, for example "
                + "--spring.datasource.url=jdbc:h2:file:./data/second (and, if the other instance uses the same "
                + "port, --server.port=8081).";
    }
}
