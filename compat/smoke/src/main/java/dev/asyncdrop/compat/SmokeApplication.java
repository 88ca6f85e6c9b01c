package dev.asyncdrop.compat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
    DropJournal dropJournal() {
        return new DropJournal();
    }

    @Bean
    Pool pool(DropJournal journal) {
        return new Pool(journal);
    }

    @Bean
    Writer writer(Pool pool, DropJournal journal) {
        return new Writer(pool, journal);
    }

    public static void main(String[] args) {
        SpringApplication.run(SmokeApplication.class, args);
    }

    /** The names of the beans whose drop finished, in that order. Thread-safe. */
    public static final class DropJournal {

        private final List<String> dropped = new CopyOnWriteArrayList<>();

        void dropped(String name) {
            dropped.add(name);
        }

        public List<String> dropped() {
            return List.copyOf(dropped);
        }
    }

    /** Stands for a connection pool: used by the writer, so dropped after it. */
    public record Pool(DropJournal journal) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            journal.dropped("pool");
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Stands for a write-behind buffer whose flush completes later, on another thread: a coordinator that did not
     * wait for it would drop the pool first.
     */
    public record Writer(Pool pool, DropJournal journal) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.runAsync(() -> journal.dropped("writer"),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        }
    }
}
