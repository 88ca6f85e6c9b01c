package dev.asyncdrop.benchmarks.makespan;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.asyncdrop.benchmarks.starter.StarterImports;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * The {@code +pools} rows: the graph's resources hand their last step to Spring Boot's executor, which writes through
 * a HikariCP pool ({@link PoolsContext}); the executor and the pool are part of the shutdown.
 */
final class PoolsModes {

    private PoolsModes() {
    }

    /** Spring's destroy phase, one bean at a time, the executor and the pool destroyed by Spring after them. */
    static final class SpringDestroy implements ShutdownMode {

        private final PoolsContext pools = new PoolsContext();

        private volatile int expected;

        @Override
        public String name() {
            return "spring-destroy+pools";
        }

        @Override
        public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
            expected = graph.size();
            AnnotationConfigApplicationContext context = pools.create(graph, cleanups, false, Map.of(),
                    ignored -> {
                    });
            return context::close;
        }

        @Override
        public String lastRunNote() {
            return writes(pools, expected);
        }
    }

    /**
     * async-drop's starter with its adapters: the executor ({@code task-executors}, on by default) and the pool
     * ({@code data-sources=true}) join the plan, ordered after the resources by the tiers alone.
     */
    static final class AsyncDrop implements ShutdownMode {

        private final PoolsContext pools = new PoolsContext();

        private final AtomicReference<DropReport> lastReport = new AtomicReference<>();

        private volatile int expected;

        private volatile long closeStartNanos;

        private volatile long reportedNanos;

        private volatile long closeEndNanos;

        AsyncDrop() {
            StarterImports.asyncDropAutoConfigurations();
        }

        @Override
        public String name() {
            return "async-drop+pools";
        }

        @Override
        public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
            expected = graph.size();
            lastReport.set(null);
            AnnotationConfigApplicationContext context = pools.create(graph, cleanups, true, Map.of(
                    "async-drop.adapters.data-sources", "true",
                    "async-drop.timeout-per-phase", "60s",
                    "async-drop.report.log", "false"), starter -> {
                        starter.registerBean("benchmarkShutdownReportListener", ShutdownReportListener.class,
                                () -> report -> {
                                    reportedNanos = System.nanoTime();
                                    lastReport.set(report);
                                });
                        starter.register(StarterConfiguration.class);
                    });
            return () -> {
                closeStartNanos = System.nanoTime();
                context.close();
                closeEndNanos = System.nanoTime();
            };
        }

        /** The writes, and the executor's and the pool's drops as the starter's report has them. */
        @Override
        public String lastRunNote() {
            DropReport report = lastReport.get();
            String drops = (report == null) ? "no shutdown report" : String.format(Locale.ROOT,
                    "report: %d records, makespan %.1f ms; %s; %s; plan started %.1f ms into close(), close() "
                    + "returned %.1f ms after the report", report.records().size(),
                    report.makespan().toNanos() / 1e6, describe(report, "applicationTaskExecutor"),
                    describe(report, "dataSource"),
                    (reportedNanos - report.makespan().toNanos() - closeStartNanos) / 1e6,
                    (closeEndNanos - reportedNanos) / 1e6);
            return writes(pools, expected) + "; " + drops;
        }

        private static String describe(DropReport report, String name) {
            return report.records().stream()
                .filter(record -> record.name().equals(name))
                .findFirst()
                .map(record -> String.format(Locale.ROOT, "%s %s at %.1f ms for %.1f ms", name, record.outcome(),
                        record.startOffset().toNanos() / 1e6, record.duration().toNanos() / 1e6))
                .orElse(name + " not in the report");
        }

        @Configuration(proxyBeanMethods = false)
        @Import(StarterImports.class)
        static class StarterConfiguration {
        }
    }

    private static String writes(PoolsContext pools, int expected) {
        try {
            return pools.writesAndReset() + " / " + expected + " writes landed";
        }
        catch (SQLException ex) {
            return "writes unknown: " + ex.getMessage();
        }
    }
}
