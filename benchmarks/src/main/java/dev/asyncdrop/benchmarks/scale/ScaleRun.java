package dev.asyncdrop.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.benchmarks.makespan.LayeredGraph;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;

/**
 * The coordinator's own cost: build and execute {@link DropPlan}s of 1,000 to 100,000 resources whose drops complete
 * at once, in layers of {@value #WIDTH} with {@value #DEPENDENCIES_PER_RESOURCE} dependencies per resource into the
 * next layer.
 */
public final class ScaleRun {

    private static final int WIDTH = 100;
    private static final int DEPENDENCIES_PER_RESOURCE = 2;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private ScaleRun() {
    }

    /**
     * Runs the scale benchmark and prints the table.
     * @param args {@code [--runs N] [--warmups N] [--sizes 1000,10000,100000]}
     */
    public static void main(String[] args) {
        int runs = 11;
        int warmups = 5;
        List<Integer> sizes = List.of(1_000, 10_000, 100_000);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option '" + option + "' needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--warmups" -> warmups = Integer.parseInt(value);
                case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                default -> throw new IllegalArgumentException("Unknown option '" + option
                        + "': use --runs, --warmups or --sizes");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("Option '--runs' must be at least 1, was " + runs);
        }
        System.out.printf(Locale.ROOT, "scale: instant drops, layers of %d, %d dependencies per resource into the "
                + "next layer; %d warm-up run(s), median of %d runs%n%n", WIDTH, DEPENDENCIES_PER_RESOURCE, warmups,
                runs);
        List<ScaleGraph> graphs = new ArrayList<>();
        for (int size : sizes) {
            if (size <= 0 || size % WIDTH != 0) {
                throw new IllegalArgumentException("Sizes must be positive multiples of " + WIDTH + ", got " + size);
            }
            graphs.add(ScaleGraph.layered(size / WIDTH, WIDTH, DEPENDENCIES_PER_RESOURCE, size));
        }
        // Warm every size before measuring any: otherwise the smaller sizes are measured while the JIT is still
        // compiling the coordinator, and the per-resource growth reads backwards.
        for (int run = 0; run < warmups; run++) {
            for (ScaleGraph graph : graphs) {
                measureOnce(graph);
            }
        }
        List<String> rows = new ArrayList<>();
        double previousPerResource = Double.NaN;
        for (ScaleGraph graph : graphs) {
            int size = graph.size();
            long[] builds = new long[runs];
            long[] executes = new long[runs];
            long[] totals = new long[runs];
            for (int run = 0; run < runs; run++) {
                long[] phases = measureOnce(graph);
                builds[run] = phases[0];
                executes[run] = phases[1];
                totals[run] = phases[0] + phases[1];
            }
            long total = median(totals);
            double perResource = micros(total) / size;
            rows.add(String.format(Locale.ROOT, "| %,d | %,d | %d | %.2f | %.2f | %.2f | %.2f | %s |", size,
                    graph.edgeCount(), size / WIDTH, millis(median(builds)), millis(median(executes)), millis(total),
                    perResource, Double.isNaN(previousPerResource) ? "-"
                            : String.format(Locale.ROOT, "%.2fx", perResource / previousPerResource)));
            System.out.printf(Locale.ROOT, "  %,d resources: build+execute median %.2f ms (min %.2f, max %.2f)%n",
                    size, millis(total), millis(Arrays.stream(totals).min().orElseThrow()),
                    millis(Arrays.stream(totals).max().orElseThrow()));
            previousPerResource = perResource;
        }
        System.out.println();
        System.out.println("| resources | edges | layers | build ms | execute ms | build+execute ms | us per resource "
                + "| per-resource growth |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** @return the build time and the execute time in nanoseconds */
    private static long[] measureOnce(ScaleGraph graph) {
        System.gc();
        long start = System.nanoTime();
        DropPlan plan = graph.plan();
        long built = System.nanoTime();
        DropReport report = plan.execute().join();
        long end = System.nanoTime();
        check(report, graph.size());
        return new long[] {built - start, end - built};
    }

    private static void check(DropReport report, int size) {
        long dropped = report.records().stream().filter(r -> r.outcome() == DropOutcome.DROPPED).count();
        if (dropped != size) {
            throw new IllegalStateException("Expected " + size + " dropped resources, the report has " + dropped);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double millis(long nanos) {
        return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    private static double micros(long nanos) {
        return nanos / (double) TimeUnit.MICROSECONDS.toNanos(1);
    }

    /** A resource whose drop has already completed: all that is left to measure is the coordinator. */
    static final class InstantResource implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return DONE;
        }
    }

    /**
     * Names, resources and dependencies prepared ahead, so that a measured build does only the coordinator's work.
     */
    static final class ScaleGraph {

        private final String[] names;
        private final String[][] dependsOn;
        private final AsyncDroppable[] resources;

        private ScaleGraph(String[] names, String[][] dependsOn, AsyncDroppable[] resources) {
            this.names = names;
            this.dependsOn = dependsOn;
            this.resources = resources;
        }

        static ScaleGraph layered(int layers, int width, int dependenciesPerResource, long seed) {
            LayeredGraph graph = LayeredGraph.instant(layers, width, dependenciesPerResource, seed);
            String[] names = new String[graph.size()];
            String[][] dependsOn = new String[graph.size()][];
            AsyncDroppable[] resources = new AsyncDroppable[graph.size()];
            for (int k = 0; k < graph.size(); k++) {
                names[k] = graph.resourceName(k);
                dependsOn[k] = graph.dependsOnNames(k);
                resources[k] = new InstantResource();
            }
            return new ScaleGraph(names, dependsOn, resources);
        }

        /** @return a freshly built plan of every resource */
        DropPlan plan() {
            DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(Duration.ofSeconds(60));
            for (int k = 0; k < names.length; k++) {
                String[] targets = dependsOn[k];
                builder.add(names[k], resources[k], spec -> spec.dependsOn(targets));
            }
            return builder.build();
        }

        int size() {
            return names.length;
        }

        int edgeCount() {
            return Arrays.stream(dependsOn).mapToInt(targets -> targets.length).sum();
        }
    }
}
