package dev.asyncdrop.sample;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.asyncdrop.AsyncDroppable;

/**
 * The application's HikariCP pool, wrapped so that it is dropped after every resource that writes through it.
 * <p>
 * {@link HikariDataSource#close()} blocks while it waits for borrowed connections and closes the others, so the drop
 * runs it on a thread of its own and completes when it returns. Closing the pool also closes an embedded H2 database
 * (its last connection goes), which is what writes the database file to disk for good.
 * <p>
 * The pool itself stays a bean of its own (Spring Boot's health, metrics and SQL initialization use it); Spring's
 * {@code close()} of that bean after the drop finds the pool closed already and does nothing.
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class ConnectionPool implements AsyncDroppable {

    private static final Logger logger = LoggerFactory.getLogger(ConnectionPool.class);

    private final HikariDataSource dataSource;

    /**
     * Wraps {@code dataSource}; the drop closes it.
     * @param dataSource the pool to close when dropped
     */
    public ConnectionPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The pool, for the resources that write through it.
     * @return the pooled data source
     */
    public DataSource dataSource() {
        return this.dataSource;
    }

    /**
     * Closes the pool on a new thread and completes when it is closed.
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        logger.info("Connection pool {} closing: {} connection(s) in use", this.dataSource.getPoolName(),
                activeConnections());
        return CompletableFuture.runAsync(this::close, (command) -> {
            Thread closer = new Thread(command, "connection-pool-close");
            closer.setDaemon(true);
            closer.start();
        });
    }

    @Override
    public void onDropTimeout() {
        logger.warn("Connection pool {} did not close in time: {} connection(s) still in use",
                this.dataSource.getPoolName(), activeConnections());
    }

    private void close() {
        this.dataSource.close();
        logger.info("Connection pool {} closed", this.dataSource.getPoolName());
    }

    private int activeConnections() {
        var pool = this.dataSource.getHikariPoolMXBean();
        return (pool != null) ? pool.getActiveConnections() : 0;
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + this.dataSource.getPoolName() + "]";
    }
}
