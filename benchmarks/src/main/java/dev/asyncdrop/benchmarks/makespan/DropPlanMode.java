package dev.asyncdrop.benchmarks.makespan;

import java.time.Duration;

import dev.asyncdrop.coordinator.DropPlan;

/** The coordinator on its own, without Spring: {@link DropPlan#execute()} of the same resources. */
final class DropPlanMode implements ShutdownMode {

    @Override
    public String name() {
        return "async-drop-core";
    }

    @Override
    public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
        DropPlan.Builder builder = DropPlan.builder().defaultPhaseTimeout(Duration.ofSeconds(60));
        for (int k = 0; k < graph.size(); k++) {
            String[] dependsOn = graph.dependsOnNames(k);
            builder.add(graph.resourceName(k), new DroppingResource(cleanups[k]), spec -> spec.dependsOn(dependsOn));
        }
        DropPlan plan = builder.build();
        return () -> plan.execute().join();
    }
}
