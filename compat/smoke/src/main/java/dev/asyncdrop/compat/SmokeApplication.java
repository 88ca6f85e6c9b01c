package dev.asyncdrop.compat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import dev.asyncdrop.AsyncDroppable;

/**
 * The smallest application that uses what the starter offers: a writer that uses a pool, both dropped at shutdown,
 * the writer first. Built and tested once per supported Spring Boot line, from the same sources.
 */
@SpringBootApplication
public class SmokeApplication {

    @Bean
    Pool pool() {
        return new Pool();
    }

    @Bean
    Writer writer(Pool pool) {
        return new Writer(pool);
    }

    public static void main(String[] args) {
        SpringApplication.run(SmokeApplication.class, args);
    }

    /**
     * Stands for a connection pool: used by the writer, so dropped after it. Like a real pool, closing it while a
     * connection is still in use fails, so its drop fails if it starts before the writer gave its connection back.
     * Thread-safe.
     */
    public static final class Pool implements AsyncDroppable {

        private final AtomicInteger inUse = new AtomicInteger();

        private final AtomicBoolean closed = new AtomicBoolean();

        void borrow() {
            this.inUse.incrementAndGet();
        }

        void giveBack() {
            this.inUse.decrementAndGet();
        }

        public int connectionsInUse() {
            return this.inUse.get();
        }

        public boolean isClosed() {
            return this.closed.get();
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            this.closed.set(true);
            int inUse = this.inUse.get();
            return (inUse == 0) ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(
                    new IllegalStateException("Pool closed with " + inUse + " connection(s) still in use"));
        }
    }

    /**
     * Stands for a write-behind buffer: holds a connection of the pool until its last flush, which completes later,
     * on another thread. A coordinator that did not wait for it would close the pool under it. Thread-safe.
     */
    public static final class Writer implements AsyncDroppable {

        private final Pool pool;

        Writer(Pool pool) {
            this.pool = pool;
            pool.borrow();
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.runAsync(this.pool::giveBack,
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        }
    }
}
