package dev.asyncdrop.benchmarks.makespan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.asyncdrop.benchmarks.CommandOptions;

/**
 * The makespan comparison: random layered graphs shut down by Spring's destroy phase, Spring's
 * {@code SmartLifecycle} stop and async-drop, in one JVM, against the graph's critical path and the sum of its
 * cleanups.
 */
public final class MakespanComparison {

    private static final long MIN_DELAY_MILLIS = 5;
    private static final long MAX_DELAY_MILLIS = 50;
    private static final int DEPENDENCIES_PER_RESOURCE = 2;

    private static final Map<String, Supplier<LayeredGraph>> GRAPHS = new LinkedHashMap<>();
    private static final Map<String, Supplier<ShutdownMode>> MODES = new LinkedHashMap<>();

    /** Spring's destroy phase takes half a minute per run of W1000: its row with pools is asked for by name. */
    private static final List<String> DEFAULT_MODES = List.of("spring-destroy", "spring-lifecycle", "async-drop",
            "async-drop-core", "async-drop+pools");

    static {
        GRAPHS.put("W100", () -> LayeredGraph.random("W100", 10, 10, DEPENDENCIES_PER_RESOURCE, MIN_DELAY_MILLIS,
                MAX_DELAY_MILLIS, 100));
        GRAPHS.put("W1000", () -> LayeredGraph.random("W1000", 20, 50, DEPENDENCIES_PER_RESOURCE, MIN_DELAY_MILLIS,
                MAX_DELAY_MILLIS, 1000));
        MODES.put("spring-destroy", SpringDestroyMode::new);
        MODES.put("spring-lifecycle", SpringLifecycleMode::new);
        MODES.put("async-drop", AsyncDropStarterMode::new);
        MODES.put("async-drop-core", DropPlanMode::new);
        MODES.put("async-drop+pools", PoolsModes.AsyncDrop::new);
        MODES.put("spring-destroy+pools", PoolsModes.SpringDestroy::new);
    }

    private MakespanComparison() {
    }

    /**
     * Runs the comparison and prints the table.
     * @param args {@code [--runs N] [--warmups N] [--graphs W100,W1000] [--modes name,...]}
     */
    public static void main(String[] args) {
        CommandOptions options = CommandOptions.parse(args, "--runs", "--warmups", "--graphs", "--modes");
        int runs = options.intValue("--runs", 5, 1);
        int warmups = options.intValue("--warmups", 1, 0);
        List<String> graphs = options.listValue("--graphs", List.copyOf(GRAPHS.keySet()), GRAPHS.keySet());
        List<String> modes = options.listValue("--modes", DEFAULT_MODES, MODES.keySet());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "cleanup-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.prestartAllCoreThreads();
        System.out.printf(Locale.ROOT, "makespan: %d warm-up run(s), median of %d runs; cleanups %d-%d ms%n%n",
                warmups, runs, MIN_DELAY_MILLIS, MAX_DELAY_MILLIS);
        List<String> rows = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String graphName : graphs) {
            LayeredGraph graph = GRAPHS.get(graphName).get();
            CleanupRecorder recorder = new CleanupRecorder(graph.size());
            TimedCleanup[] cleanups = new TimedCleanup[graph.size()];
            for (int k = 0; k < graph.size(); k++) {
                cleanups[k] = new TimedCleanup(timer, recorder, k, graph.delayNanos(k));
            }
            long criticalPath = graph.criticalPathNanos();
            System.out.printf(Locale.ROOT, "%s: %d layers x %d, %d resources, %d edges, critical path %.1f ms, "
                    + "sum %.1f ms%n", graph.name(), graph.layers(), graph.width(), graph.size(), graph.edgeCount(),
                    millis(criticalPath), millis(graph.sumNanos()));
            for (String modeName : modes) {
                rows.add(measure(graph, modeName, MODES.get(modeName), cleanups, recorder, warmups, runs, targets));
            }
            rows.add(row(graph.name(), "critical-path", millis(criticalPath), "", 1.0, "-"));
            rows.add(row(graph.name(), "sum", millis(graph.sumNanos()), "",
                    (double) graph.sumNanos() / criticalPath, "-"));
        }
        System.out.println();
        System.out.println("| graph | row | makespan ms (median) | min - max ms | ratio to critical path "
                + "| violations |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.println();
        targets.forEach(System.out::println);
        timer.shutdownNow();
    }

    private static String measure(LayeredGraph graph, String modeName, Supplier<ShutdownMode> modeFactory,
            TimedCleanup[] cleanups, CleanupRecorder recorder, int warmups, int runs, List<String> targets) {
        try {
            ShutdownMode mode = modeFactory.get();
            long[] makespans = new long[runs];
            int worstViolations = 0;
            int worstUnfinished = 0;
            for (int run = -warmups; run < runs; run++) {
                recorder.reset();
                ShutdownMode.Shutdown shutdown = mode.prepare(graph, cleanups);
                System.gc();
                long start = System.nanoTime();
                shutdown.run();
                long makespan = System.nanoTime() - start;
                int violations = recorder.violations(graph);
                int unfinished = recorder.unfinished();
                String note = mode.lastRunNote();
                System.out.printf(Locale.ROOT, "  %-16s %s %8.1f ms, %d violations%s%s%n", mode.name(),
                        run < 0 ? "warm-up" : "run " + (run + 1) + "  ", millis(makespan), violations,
                        unfinished > 0 ? ", " + unfinished + " cleanups never finished" : "",
                        note.isEmpty() ? "" : "; " + note);
                if (run >= 0) {
                    makespans[run] = makespan;
                    worstViolations = Math.max(worstViolations, violations);
                    worstUnfinished = Math.max(worstUnfinished, unfinished);
                }
            }
            Arrays.sort(makespans);
            long median = makespans[runs / 2];
            if (mode.name().startsWith("async-drop")) {
                targets.add(targetVerdict(graph, mode.name(), median, worstViolations + worstUnfinished));
            }
            String violations = worstViolations + " / " + graph.edgeCount()
                    + (worstUnfinished > 0 ? " (" + worstUnfinished + " unfinished)" : "");
            return row(graph.name(), mode.name(), millis(median),
                    String.format(Locale.ROOT, "%.1f - %.1f", millis(makespans[0]), millis(makespans[runs - 1])),
                    (double) median / graph.criticalPathNanos(), violations);
        }
        catch (Exception | LinkageError ex) {
            System.out.printf(Locale.ROOT, "  %-16s failed: %s%n", modeName, ex);
            return "| " + graph.name() + " | " + modeName + " | failed: " + ex.getClass().getSimpleName()
                    + " | | | |";
        }
    }

    /** The target of the coordinator issue: at most 1.05 times the critical path plus 10 ms, no violation. */
    private static String targetVerdict(LayeredGraph graph, String mode, long median, int violations) {
        double limit = 1.05 * millis(graph.criticalPathNanos()) + 10;
        double makespan = millis(median);
        String verdict = (makespan <= limit && violations == 0) ? "met"
                : String.format(Locale.ROOT, "MISSED by %.1f ms%s", Math.max(0, makespan - limit),
                        violations > 0 ? " and " + violations + " violations" : "");
        return String.format(Locale.ROOT, "target %s on %s: <= %.1f ms (1.05 x critical path + 10 ms), 0 violations:"
                + " %.1f ms, %d violations: %s", mode, graph.name(), limit, makespan, violations, verdict);
    }

    private static String row(String graph, String name, double makespanMillis, String spread, double ratio,
            String violations) {
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %.2fx | %s |", graph, name, makespanMillis, spread,
                ratio, violations);
    }

    private static double millis(long nanos) {
        return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
