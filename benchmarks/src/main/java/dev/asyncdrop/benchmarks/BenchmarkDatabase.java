package dev.asyncdrop.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 database in memory for the benchmarks that write through a connection pool: it outlives the pools opened on
 * it ({@code DB_CLOSE_DELAY=-1}), so that what was written can be counted after the context that wrote it closed.
 * Thread-safe.
 */
public final class BenchmarkDatabase {

    private final String url;

    /**
     * Names a new database; nothing is created until a connection is opened.
     * @param name a name to recognise it by
     */
    public BenchmarkDatabase(String name) {
        this.url = "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** @return a new HikariCP pool on the database, started when first used */
    public HikariDataSource newPool() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    /**
     * Counts the rows of a table, then empties the database for the next run.
     * @param table the table
     * @return its rows
     * @throws SQLException when the database cannot be read
     */
    public int rowsAndReset(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            int rows;
            try (ResultSet count = statement.executeQuery("select count(*) from " + table)) {
                count.next();
                rows = count.getInt(1);
            }
            statement.execute("drop all objects");
            return rows;
        }
    }
}
