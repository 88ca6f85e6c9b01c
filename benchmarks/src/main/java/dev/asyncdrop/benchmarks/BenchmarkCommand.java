package dev.asyncdrop.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;

import dev.asyncdrop.benchmarks.makespan.MakespanComparison;
import dev.asyncdrop.benchmarks.pools.AsyncWritesAtClose;
import dev.asyncdrop.benchmarks.scale.ScaleRun;
import dev.asyncdrop.benchmarks.starter.StarterCost;

/**
 * Entry point of {@code async-drop-benchmarks.jar}: {@code makespan}, {@code scale}, {@code starter-cost},
 * {@code async-writes} or {@code jmh [JMH args]}.
 */
public final class BenchmarkCommand {

    private BenchmarkCommand() {
    }

    /**
     * Runs the benchmark named by the first argument.
     * @param args the benchmark's name followed by its own arguments
     * @throws Exception when the benchmark fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            printUsage(System.out);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "makespan" -> MakespanComparison.main(rest);
            case "scale" -> ScaleRun.main(rest);
            case "starter-cost" -> StarterCost.main(rest);
            case "async-writes" -> AsyncWritesAtClose.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "help", "-h", "--help" -> printUsage(System.out);
            default -> {
                System.err.println("Unknown benchmark '" + args[0] + "'.");
                printUsage(System.err);
                System.exit(2);
            }
        }
    }

    private static void printUsage(PrintStream out) {
        out.println("""
                Usage: java -jar async-drop-benchmarks.jar <benchmark> [options]

                  makespan [--runs N] [--warmups N] [--graphs W100,W1000]
                           [--modes spring-destroy,spring-lifecycle,async-drop,async-drop-core,async-drop+pools,
                                    spring-destroy+pools]
                        Shutdown makespan of random layered graphs (cleanups 5-50 ms, completing asynchronously)
                        under Spring destroy, Spring SmartLifecycle and async-drop, against the critical path; the
                        +pools rows end each cleanup with a write on Spring Boot's executor through a HikariCP pool,
                        both part of the shutdown (spring-destroy+pools only when named).
                        Median of N runs (default 5) after warm-up runs (default 1).
                  scale [--runs N] [--warmups N] [--sizes 1000,10000,100000]
                        DropPlan build + execute time with instant drops, and the time per resource
                        (median of N runs, default 11, after 5 warm-up runs).
                  starter-cost [--rounds N] [--warmups N] [--close-beans 500] [--start-beans 1000]
                               [--scenarios close,start] [--auto-configurations all|lifecycle]
                        What the starter adds to the close and to the start of a context of droppable beans
                        (drops complete at once): median of N paired rounds (default 101) with and without
                        its auto-configurations, after warm-up rounds (default 30).
                  async-writes [--runs N]
                        20 @Async writes through HikariCP in flight at close, on Spring Boot's executor: rows
                        written and close() time, with and without the starter, under Spring Boot's defaults,
                        await-termination=true and (Java 21+) virtual threads. Median of N runs (default 5).
                  jmh [JMH options]
                        JMH microbenchmarks, e.g. jmh -f 1 -wi 3 -w 1s -i 5 -r 1s; jmh -l lists them.""");
    }
}
