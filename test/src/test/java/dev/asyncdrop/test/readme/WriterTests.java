package dev.asyncdrop.test.readme;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;
import dev.asyncdrop.test.CapturedLog;
import dev.asyncdrop.test.ContextShutdown;
import dev.asyncdrop.test.DetectLeaks;
import dev.asyncdrop.test.DropAssertions;

/**
 * The example of the README's "Testing your droppables", from {@code @DetectLeaks} to the last test: keep the two the
 * same. In a package of its own, so that it uses nothing but public API.
 */
@ExtendWith(CapturedLog.class)
@DetectLeaks
class WriterTests {

    @Test
    void writesThenDropsItsBuffer() {
        try (AsyncDropGuard<Writer> writer = AsyncDropGuard.of(new Writer(new Pool()))) {
            writer.get().write("hello");
        }   // forgetting this drop fails the test, naming Writer and where its guard was created
    }

    @Test
    void dropsTheWriterBeforeThePoolItWritesTo() {
        Pool pool = new Pool();
        DropReport report = DropPlan.builder()
                .add("writer", new Writer(pool), writer -> writer.dependsOn("pool"))
                .add("pool", pool)
                .build()
                .execute()
                .join();

        DropAssertions.assertThat(report)
                .hasNoFailures()
                .dropped("writer", "pool")
                .droppedBefore("writer", "pool");
    }

    @Test
    void theApplicationDropsItsBeansInOrder() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
                .withUserConfiguration(WriterConfiguration.class)
                .run(context -> DropAssertions.assertThat(ContextShutdown.closeAndReport(context))
                        .hasNoFailures()
                        .droppedBefore("writer", "pool"));
    }

    @Configuration(proxyBeanMethods = false)
    static class WriterConfiguration {

        @Bean
        Pool pool() {
            return new Pool();
        }

        @Bean
        Writer writer(Pool pool) {
            return new Writer(pool);
        }
    }

    static final class Pool implements AsyncDroppable {

        private final List<String> rows = new CopyOnWriteArrayList<>();

        void insert(String row) {
            this.rows.add(row);
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class Writer implements AsyncDroppable {

        private final Pool pool;

        private final List<String> buffer = new CopyOnWriteArrayList<>();

        Writer(Pool pool) {
            this.pool = pool;
        }

        void write(String row) {
            this.buffer.add(row);
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.runAsync(() -> this.buffer.forEach(this.pool::insert));
        }
    }
}
