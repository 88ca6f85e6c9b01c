package dev.asyncdrop.spring.actuate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.ForecastDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.PhaseForecastDescriptor;
import dev.asyncdrop.spring.report.ShutdownSummary;

/**
 * Forecasts the next shutdown from the last one: each resource of today's plan is expected to take as long as its
 * drop took last time, and a phase takes as long as its longest path of dependents before their dependencies (the
 * coordinator starts a drop as soon as what uses it has finished, so a phase's makespan is its critical path); the
 * phases run one after another. A resource that was not dropped last time (new, renamed, or skipped) counts as
 * taking no time and is named. Stateless, so thread-safe.
 */
final class ShutdownForecast {

    private ShutdownForecast() {
    }

    /**
     * @param plan today's plan
     * @param last the last shutdown, with each resource's drop
     * @return the forecast, or {@code null} when the last shutdown kept no resource's drop
     */
    static @Nullable ForecastDescriptor of(DropPlan plan, ShutdownSummary last) {
        if (last.drops().isEmpty()) {
            return null;
        }
        Map<String, Duration> measured = new HashMap<>();
        for (ShutdownSummary.ResourceDrop drop : last.drops()) {
            if (drop.outcome() != DropOutcome.SKIPPED) {
                measured.put(drop.resource(), drop.duration());
            }
        }
        List<PhaseForecastDescriptor> phases = new ArrayList<>();
        List<String> criticalPath = new ArrayList<>();
        List<String> withoutHistory = new ArrayList<>();
        Duration makespan = Duration.ZERO;
        for (int phase : plan.phases()) {
            PhaseForecastDescriptor forecast = phase(plan, phase, measured, withoutHistory);
            phases.add(forecast);
            criticalPath.addAll(forecast.criticalPath());
            makespan = makespan.plus(forecast.makespan());
        }
        return new ForecastDescriptor(makespan, criticalPath, phases, withoutHistory, last.shutdownAt());
    }

    private static PhaseForecastDescriptor phase(DropPlan plan, int phase, Map<String, Duration> measured,
            List<String> withoutHistory) {
        Map<String, PlannedResource> resources = new LinkedHashMap<>();
        for (PlannedResource resource : plan.resources()) {
            if (resource.phase() == phase) {
                resources.put(resource.name(), resource);
                if (!measured.containsKey(resource.name())) {
                    withoutHistory.add(resource.name());
                }
            }
        }
        Map<String, Duration> finish = finishTimes(resources, measured);
        String last = null;
        for (String name : resources.keySet()) {
            if (last == null || finish.get(name).compareTo(finish.get(last)) > 0) {
                last = name;
            }
        }
        if (last == null) {
            return new PhaseForecastDescriptor(phase, Duration.ZERO, List.of());
        }
        LinkedList<String> path = new LinkedList<>();
        for (String current = last; current != null; current = slowestDependent(resources.get(current), finish)) {
            path.addFirst(current);
        }
        return new PhaseForecastDescriptor(phase, finish.get(last), path);
    }

    /**
     * The longest time from the phase's start until each resource has dropped, through what must drop before it:
     * its dependents first, in the order the coordinator can drop them (the plan has no cycles).
     */
    private static Map<String, Duration> finishTimes(Map<String, PlannedResource> resources,
            Map<String, Duration> measured) {
        Map<String, Integer> pendingDependents = new HashMap<>();
        ArrayDeque<String> ready = new ArrayDeque<>();
        for (PlannedResource resource : resources.values()) {
            int pending = (int) resource.dependents().stream().filter(resources::containsKey).count();
            pendingDependents.put(resource.name(), pending);
            if (pending == 0) {
                ready.add(resource.name());
            }
        }
        Map<String, Duration> finish = new HashMap<>();
        while (!ready.isEmpty()) {
            PlannedResource resource = resources.get(ready.poll());
            Duration start = Duration.ZERO;
            for (String dependent : resource.dependents()) {
                Duration end = finish.get(dependent);
                if (end != null && end.compareTo(start) > 0) {
                    start = end;
                }
            }
            finish.put(resource.name(), start.plus(measured.getOrDefault(resource.name(), Duration.ZERO)));
            for (String dependency : resource.dependsOn()) {
                if (resources.containsKey(dependency) && pendingDependents.merge(dependency, -1, Integer::sum) == 0) {
                    ready.add(dependency);
                }
            }
        }
        return finish;
    }

    private static @Nullable String slowestDependent(PlannedResource resource, Map<String, Duration> finish) {
        String slowest = null;
        for (String dependent : resource.dependents()) {
            Duration end = finish.get(dependent);
            if (end != null && (slowest == null || end.compareTo(finish.get(slowest)) > 0)) {
                slowest = dependent;
            }
        }
        return slowest;
    }
}
