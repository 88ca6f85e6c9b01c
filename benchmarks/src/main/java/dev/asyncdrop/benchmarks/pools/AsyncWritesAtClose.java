package dev.asyncdrop.benchmarks.pools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import dev.asyncdrop.benchmarks.BenchmarkDatabase;
import dev.asyncdrop.benchmarks.CommandOptions;
import dev.asyncdrop.benchmarks.starter.StarterImports;

/**
 * The shutdown the starter's executor adapters are for: {@value #TASKS} {@code @Async} methods that write a row
 * through a {@code JdbcTemplate} on Spring Boot's auto-configured {@code applicationTaskExecutor} and a HikariCP pool
 * (H2 in memory), all in flight when the context closes: each waits for the close to start, works
 * {@value #WORK_MILLIS} ms, then writes. With Spring Boot's default shutdown settings, with
 * {@code spring.task.execution.shutdown.await-termination=true}, and (on Java 21 and later) with virtual threads;
 * each with the starter and with its auto-configurations excluded. Prints how many rows were written and how long
 * {@code close()} took.
 */
public final class AsyncWritesAtClose {

    static final int TASKS = 20;

    static final long WORK_MILLIS = 200;

    private AsyncWritesAtClose() {
    }

    /**
     * Runs every variant and prints the table.
     * @param args {@code [--runs N]}
     * @throws Exception when a run fails
     */
    public static void main(String[] args) throws Exception {
        CommandOptions options = CommandOptions.parse(args, "--runs");
        int runs = options.intValue("--runs", 5, 1);
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        settings.put("Spring Boot's defaults", Map.of());
        settings.put("await-termination=true", Map.of("spring.task.execution.shutdown.await-termination", "true"));
        if (Runtime.version().feature() >= 21) {
            settings.put("virtual threads", Map.of("spring.threads.virtual.enabled", "true"));
        }
        else {
            System.out.println("virtual threads: skipped, they need Java 21 or later");
        }
        System.out.printf(Locale.ROOT, "async-writes: %d @Async writes in flight at close, each %d ms of work; "
                + "median of %d runs%n%n", TASKS, WORK_MILLIS, runs);
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> setting : settings.entrySet()) {
            for (boolean starter : new boolean[] {false, true}) {
                rows.add(measure(setting.getKey(), setting.getValue(), starter, runs));
            }
        }
        System.out.println();
        System.out.println("| executor settings | starter | rows written / tasks submitted (worst run) "
                + "| close() ms (median) | min - max ms |");
        System.out.println("|---|---|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static String measure(String setting, Map<String, Object> properties, boolean starter, int runs)
            throws Exception {
        long[] closes = new long[runs];
        int worst = TASKS;
        for (int run = 0; run < runs; run++) {
            long[] result = once(properties, starter);
            closes[run] = result[1];
            worst = (int) Math.min(worst, result[0]);
            System.out.printf(Locale.ROOT, "  %-24s %-7s run %d: %2d / %d rows, close() %.1f ms%n", setting,
                    starter ? "with" : "without", run + 1, result[0], TASKS, result[1] / 1e6);
        }
        Arrays.sort(closes);
        return String.format(Locale.ROOT, "| %s | %s | %d / %d | %.1f | %.1f - %.1f |", setting,
                starter ? "with" : "without", worst, TASKS, closes[runs / 2] / 1e6, closes[0] / 1e6,
                closes[runs - 1] / 1e6);
    }

    /** @return the rows written, and the nanoseconds that close() took */
    private static long[] once(Map<String, Object> properties, boolean starter) throws Exception {
        BenchmarkDatabase database = new BenchmarkDatabase("async-writes");
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        Map<String, Object> environment = new LinkedHashMap<>(properties);
        environment.put("async-drop.report.log", "false");
        environment.put("spring.autoconfigure.exclude",
                starter ? "" : String.join(",", StarterImports.asyncDropAutoConfigurations()));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", environment));
        context.registerBean("dataSource", HikariDataSource.class, database::newPool);
        context.registerBean("jdbcTemplate", JdbcTemplate.class,
                () -> new JdbcTemplate(context.getBean(HikariDataSource.class)));
        context.registerBean(AsyncWriter.class, () -> new AsyncWriter(context.getBean(JdbcTemplate.class)));
        context.register(Application.class);
        context.refresh();
        context.getBean(JdbcTemplate.class).execute("create table writes (id int)");
        AsyncWriter writer = context.getBean(AsyncWriter.class);
        for (int i = 0; i < TASKS; i++) {
            writer.write(i);
        }
        long start = System.nanoTime();
        context.close();
        long close = System.nanoTime() - start;
        // Writes still running after close() has returned are not counted: the application would have exited.
        return new long[] {database.rowsAndReset("writes"), close};
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableAsync(proxyTargetClass = true)
    static class Application {
    }

    /** Writes a row on Spring Boot's executor once the context has started to close and the work is done. */
    public static class AsyncWriter implements ApplicationListener<ContextClosedEvent> {

        private final JdbcTemplate jdbc;

        private final CountDownLatch closing = new CountDownLatch(1);

        AsyncWriter(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * Writes a row, later.
         * @param id the row's id
         */
        @Async
        public void write(int id) {
            try {
                closing.await(1, TimeUnit.MINUTES);
                Thread.sleep(WORK_MILLIS);
                jdbc.update("insert into writes (id) values (?)", id);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (RuntimeException ex) {
                // The pool was closed under the task: the row is missing, which the count shows.
            }
        }

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            closing.countDown();
        }
    }
}
