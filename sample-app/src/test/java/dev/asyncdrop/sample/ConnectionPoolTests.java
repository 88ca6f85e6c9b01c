package dev.asyncdrop.sample;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionPoolTests {

    @Test
    void theDropClosesThePoolOnAThreadOfItsOwn() {
        AtomicReference<Thread> closingThread = new AtomicReference<>();
        HikariDataSource dataSource = new HikariDataSource() {

            @Override
            public void close() {
                closingThread.set(Thread.currentThread());
                super.close();
            }

        };
        dataSource.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID());
        dataSource.setUsername("sa");
        assertThat(new JdbcTemplate(dataSource).queryForObject("select 1", Integer.class)).isOne();

        assertThat(new ConnectionPool(dataSource).asyncDrop().toCompletableFuture())
            .succeedsWithin(Duration.ofMinutes(1));

        assertThat(dataSource.isClosed()).isTrue();
        assertThat(closingThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
    }

    @Test
    void closingThePoolAgainAfterTheDropIsHarmless() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID());
        dataSource.setUsername("sa");
        assertThat(new ConnectionPool(dataSource).asyncDrop().toCompletableFuture())
            .succeedsWithin(Duration.ofMinutes(1));

        dataSource.close();

        assertThat(dataSource.isClosed()).isTrue();
    }
}
