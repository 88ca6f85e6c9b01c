package dev.asyncdrop.benchmarks.starter;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.benchmarks.CommandOptions;
import dev.asyncdrop.benchmarks.makespan.LayeredGraph;

/**
 * What the starter costs an application: the same context of droppable beans (layers of {@value #WIDTH}, each
 * bean depending on {@value #DEPENDENCIES_PER_RESOURCE} beans of the next layer, drops that complete at once)
 * started and closed with the starter's auto-configurations and with them excluded. By default the context
 * enables auto-configuration as an application does, so that both variants carry every auto-configuration of the
 * class path but the starter's; {@code --auto-configurations lifecycle} imports only Spring Boot's
 * {@code LifecycleAutoConfiguration} besides, a context in which the starter is the first to search the bean
 * definitions. Each round measures both variants back to back, in alternating order so that drift in the JVM or
 * the machine falls on both alike, and the figure that counts is the median of the per-round differences.
 */
public final class StarterCost {

    private static final int WIDTH = 50;
    private static final int DEPENDENCIES_PER_RESOURCE = 2;
    private static final long SEED = 14;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** The goals of the cost issue, in milliseconds. */
    private static final double CLOSE_GOAL_MILLIS = 3;
    private static final double START_GOAL_MILLIS = 5;

    private StarterCost() {
    }

    /**
     * Runs both scenarios and prints the table.
     * @param args {@code [--rounds N] [--warmups N] [--close-beans N] [--start-beans N] [--scenarios close,start]}
     */
    public static void main(String[] args) {
        CommandOptions options = CommandOptions.parse(args, "--rounds", "--warmups", "--close-beans", "--start-beans",
                "--scenarios", "--auto-configurations");
        int rounds = options.intValue("--rounds", 101, 1);
        int warmups = options.intValue("--warmups", 30, 0);
        int closeBeans = layered("--close-beans", options.intValue("--close-beans", 500, 2 * WIDTH));
        int startBeans = layered("--start-beans", options.intValue("--start-beans", 1000, 2 * WIDTH));
        List<String> scenarios = options.listValue("--scenarios", List.of("close", "start"), List.of("close", "start"));
        boolean all = options.listValue("--auto-configurations", List.of("all"), List.of("all", "lifecycle"))
                .equals(List.of("all"));
        System.out.printf(Locale.ROOT, "starter-cost: %d warm-up round(s), median of %d paired rounds; beans in "
                + "layers of %d, %d dependencies each, drops complete at once; %s%n%n", warmups, rounds, WIDTH,
                DEPENDENCIES_PER_RESOURCE, all ? "every auto-configuration on the class path"
                        : "LifecycleAutoConfiguration only");
        List<String> rows = new ArrayList<>();
        if (scenarios.contains("close")) {
            rows.addAll(measure("close", closeBeans, all, warmups, rounds, CLOSE_GOAL_MILLIS));
        }
        if (scenarios.contains("start")) {
            rows.addAll(measure("start", startBeans, all, warmups, rounds, START_GOAL_MILLIS));
        }
        System.out.println();
        System.out.println("| scenario | beans | clock | without starter ms | with starter ms | added by the starter ms "
                + "(paired median) | p25 - p75 ms | goal |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    /** @return a row for the elapsed time and, for the start, one for the CPU time of the refreshing thread */
    private static List<String> measure(String scenario, int beans, boolean all, int warmups, int rounds,
            double goalMillis) {
        LayeredGraph graph = LayeredGraph.instant(beans / WIDTH, WIDTH, DEPENDENCIES_PER_RESOURCE, SEED);
        boolean close = scenario.equals("close");
        long[][] without = new long[2][rounds];
        long[][] with = new long[2][rounds];
        for (int round = -warmups; round < rounds; round++) {
            // Alternate which variant goes first, so that neither always runs right after a collection.
            boolean starterFirst = (round & 1) == 0;
            long[] first = once(context(graph, starterFirst, all), close);
            long[] second = once(context(graph, !starterFirst, all), close);
            if (round >= 0) {
                for (int clock = 0; clock < 2; clock++) {
                    with[clock][round] = starterFirst ? first[clock] : second[clock];
                    without[clock][round] = starterFirst ? second[clock] : first[clock];
                }
            }
        }
        List<String> rows = new ArrayList<>();
        rows.add(row(scenario, beans, "elapsed", without[0], with[0], goalMillis));
        if (!close) {
            // A refresh runs on one thread: its CPU time is the work, whatever else the machine is doing.
            rows.add(row(scenario, beans, "thread CPU", without[1], with[1], goalMillis));
        }
        return rows;
    }

    private static String row(String scenario, int beans, String clock, long[] without, long[] with,
            double goalMillis) {
        long[] added = new long[without.length];
        for (int i = 0; i < added.length; i++) {
            added[i] = with[i] - without[i];
        }
        double median = millis(median(added));
        System.out.printf(Locale.ROOT, "  %s of %d beans, %s: without %.2f ms, with %.2f ms, added %.2f ms (median "
                + "of %d pairs)%n", scenario, beans, clock, millis(median(without)), millis(median(with)), median,
                added.length);
        String verdict = (median <= goalMillis) ? "met" : "MISSED";
        return String.format(Locale.ROOT, "| %s | %,d | %s | %.2f | %.2f | %.2f | %.2f - %.2f | <= %.0f ms: %s |",
                scenario, beans, clock, millis(median(without)), millis(median(with)), median,
                millis(percentile(added, 25)), millis(percentile(added, 75)), goalMillis, verdict);
    }

    /** @return the nanoseconds that refresh() (start) or close() took, elapsed and on the calling thread's CPU */
    private static long[] once(AnnotationConfigApplicationContext context, boolean close) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.gc();
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        context.refresh();
        long refreshed = System.nanoTime();
        long refreshedCpu = threads.getCurrentThreadCpuTime();
        if (close) {
            System.gc();
            long closeStart = System.nanoTime();
            long closeStartCpu = threads.getCurrentThreadCpuTime();
            context.close();
            return new long[] {System.nanoTime() - closeStart, threads.getCurrentThreadCpuTime() - closeStartCpu};
        }
        context.close();
        return new long[] {refreshed - start, refreshedCpu - startCpu};
    }

    private static AnnotationConfigApplicationContext context(LayeredGraph graph, boolean withStarter, boolean all) {
        // No async-drop configuration: the defaults, as an application that adds the starter and nothing else.
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        // Without the starter is the same application with its auto-configurations excluded.
        String excluded = withStarter ? "" : String.join(",", StarterImports.asyncDropAutoConfigurations());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark",
                Map.of("spring.autoconfigure.exclude", excluded)));
        for (int k = 0; k < graph.size(); k++) {
            String[] dependsOn = graph.dependsOnNames(k);
            context.registerBean(graph.resourceName(k), InstantResource.class, InstantResource::new,
                    definition -> definition.setDependsOn(dependsOn));
        }
        if (all) {
            context.register(Application.class);
        }
        else {
            context.register(withStarter ? WithStarter.class : WithoutStarter.class);
        }
        return context;
    }

    private static long median(long[] values) {
        return percentile(values, 50);
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }

    private static double millis(long nanos) {
        return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    private static int layered(String option, int value) {
        if (value % WIDTH != 0) {
            throw new IllegalArgumentException("Option '" + option + "' must be a multiple of " + WIDTH + ", was "
                    + value);
        }
        return value;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(StarterImports.class)
    static class WithStarter {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(StarterImports.Excluded.class)
    static class WithoutStarter {
    }

    /** A droppable bean whose drop has already completed: all that is left to measure is the machinery. */
    static final class InstantResource implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return DONE;
        }
    }
}
