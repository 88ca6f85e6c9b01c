package dev.asyncdrop.benchmarks.makespan;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

import dev.asyncdrop.benchmarks.starter.StarterImports;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.ShutdownReportListener;

/**
 * async-drop's starter: one {@code AsyncDroppable} bean per resource, edges as {@code dependsOn}, dropped by the
 * starter's auto-configuration when the context closes.
 */
final class AsyncDropStarterMode implements ShutdownMode {

    private final AtomicReference<DropReport> lastReport = new AtomicReference<>();
    private volatile long closeStartNanos;
    private volatile long reportedNanos;
    private volatile long closeEndNanos;

    AsyncDropStarterMode() {
        // Fails at once, naming the problem, when the jar was built without the starter.
        StarterImports.asyncDropAutoConfigurations();
    }

    @Override
    public String name() {
        return "async-drop";
    }

    @Override
    public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", Map.of(
                "async-drop.timeout-per-phase", "60s",
                "async-drop.report.log", "false",
                "spring.lifecycle.timeout-per-shutdown-phase",
                SpringLifecycleMode.SHUTDOWN_PHASE_TIMEOUT.toSeconds() + "s")));
        for (int k = 0; k < graph.size(); k++) {
            TimedCleanup cleanup = cleanups[k];
            String[] dependsOn = graph.dependsOnNames(k);
            context.registerBean(graph.resourceName(k), DroppingResource.class, () -> new DroppingResource(cleanup),
                    definition -> definition.setDependsOn(dependsOn));
        }
        lastReport.set(null);
        context.registerBean("benchmarkShutdownReportListener", ShutdownReportListener.class, () -> report -> {
            reportedNanos = System.nanoTime();
            lastReport.set(report);
        });
        // Boot's lifecycle auto-configuration sets the lifecycle processor's timeout from the property, as in an
        // application, and tells the starter how long Spring waits for each shutdown phase.
        context.register(StarterConfiguration.class);
        context.refresh();
        return () -> {
            closeStartNanos = System.nanoTime();
            context.close();
            closeEndNanos = System.nanoTime();
        };
    }

    @Configuration(proxyBeanMethods = false)
    @Import(StarterImports.class)
    static class StarterConfiguration {
    }

    /** The starter's own report: proves every bean went through the plan and shows the measured critical path. */
    @Override
    public String lastRunNote() {
        DropReport report = lastReport.get();
        if (report == null) {
            return "no shutdown report";
        }
        // Where close() spends the time the plan does not: before the plan starts, and after it has reported.
        long planStart = reportedNanos - report.makespan().toNanos();
        return String.format(Locale.ROOT, "report: %d records, makespan %.1f ms, critical path %.1f ms; "
                + "plan started %.1f ms into close(), close() returned %.1f ms after the report",
                report.records().size(), report.makespan().toNanos() / 1e6, report.criticalPath().toNanos() / 1e6,
                (planStart - closeStartNanos) / 1e6, (closeEndNanos - reportedNanos) / 1e6);
    }
}
