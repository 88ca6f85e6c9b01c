package dev.asyncdrop.benchmarks.jmh;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.benchmarks.makespan.LayeredGraph;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link DropPlan} build (validation, cycle check, indexing) of a layered graph, alone and followed by an execution
 * whose drops complete at once: layers of 100 resources, two dependencies per resource into the next layer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DropPlanBuildBenchmark {

    private static final int WIDTH = 100;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** The number of resources. */
    @Param("10000")
    public int resources;

    private String[] names = new String[0];
    private String[][] dependsOn = new String[0][];
    private AsyncDroppable[] droppables = new AsyncDroppable[0];

    /** Prepares names, resources and dependencies so that only the build is measured. */
    @Setup
    public void prepareGraph() {
        LayeredGraph graph = LayeredGraph.instant(resources / WIDTH, WIDTH, 2, resources);
        names = new String[graph.size()];
        dependsOn = new String[graph.size()][];
        droppables = new AsyncDroppable[graph.size()];
        for (int k = 0; k < graph.size(); k++) {
            names[k] = graph.resourceName(k);
            dependsOn[k] = graph.dependsOnNames(k);
            droppables[k] = () -> DONE;
        }
    }

    /** @return the built plan, so that the build is not eliminated */
    @Benchmark
    public DropPlan build() {
        return newPlan();
    }

    /** @return the report of a build followed by an execution whose drops complete at once */
    @Benchmark
    public DropReport buildAndExecute() {
        return newPlan().execute().join();
    }

    private DropPlan newPlan() {
        DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(Duration.ofSeconds(60));
        for (int k = 0; k < names.length; k++) {
            String[] targets = dependsOn[k];
            builder.add(names[k], droppables[k], spec -> spec.dependsOn(targets));
        }
        return builder.build();
    }
}
