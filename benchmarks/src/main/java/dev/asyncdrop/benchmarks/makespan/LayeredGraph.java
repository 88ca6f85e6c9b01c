package dev.asyncdrop.benchmarks.makespan;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A random layered dependency graph with a cleanup delay per resource. Layer 0 drops first: each resource of layer
 * {@code i} depends on (uses) distinct random resources of layer {@code i + 1}, which must drop after it. Resource
 * {@code k} is in layer {@code k / width}. Immutable and thread-safe.
 */
public final class LayeredGraph {

    private final String name;
    private final int layers;
    private final int width;
    private final long[] delayNanos;
    private final int[][] dependsOn;

    private LayeredGraph(String name, int layers, int width, long[] delayNanos, int[][] dependsOn) {
        this.name = name;
        this.layers = layers;
        this.width = width;
        this.delayNanos = delayNanos;
        this.dependsOn = dependsOn;
    }

    /**
     * Draws a graph; the same arguments always give the same graph.
     * @param name the graph's name in tables
     * @param layers the number of layers
     * @param width the resources per layer
     * @param dependenciesPerResource how many resources of the next layer each resource depends on
     * @param minDelayMillis the least cleanup delay
     * @param maxDelayMillis the greatest cleanup delay
     * @param seed the random seed
     * @return the graph
     */
    public static LayeredGraph random(String name, int layers, int width, int dependenciesPerResource,
            long minDelayMillis, long maxDelayMillis, long seed) {
        if (dependenciesPerResource > width) {
            throw new IllegalArgumentException("'dependenciesPerResource' (" + dependenciesPerResource
                    + ") must not exceed 'width' (" + width + ")");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int size = layers * width;
        long[] delays = new long[size];
        int[][] dependsOn = new int[size][];
        long min = TimeUnit.MILLISECONDS.toNanos(minDelayMillis);
        long max = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        for (int k = 0; k < size; k++) {
            delays[k] = random.nextLong(min, max + 1);
            int layer = k / width;
            dependsOn[k] = (layer == layers - 1) ? new int[0]
                    : distinctPicks(random, dependenciesPerResource, width, (layer + 1) * width);
        }
        return new LayeredGraph(name, layers, width, delays, dependsOn);
    }

    /**
     * Builds a graph whose cleanups all complete at once (delay zero), as the coordinator's overhead benchmark needs.
     * @param layers the number of layers
     * @param width the resources per layer
     * @param dependenciesPerResource how many resources of the next layer each resource depends on
     * @param seed the random seed
     * @return the graph
     */
    public static LayeredGraph instant(int layers, int width, int dependenciesPerResource, long seed) {
        return random("instant", layers, width, dependenciesPerResource, 0, 0, seed);
    }

    private static int[] distinctPicks(SplittableRandom random, int count, int width, int offset) {
        int[] picks = new int[count];
        int picked = 0;
        while (picked < count) {
            int candidate = offset + random.nextInt(width);
            boolean seen = false;
            for (int i = 0; i < picked; i++) {
                seen |= picks[i] == candidate;
            }
            if (!seen) {
                picks[picked++] = candidate;
            }
        }
        Arrays.sort(picks);
        return picks;
    }

    /** @return the graph's name in tables */
    public String name() {
        return name;
    }

    /** @return the number of resources */
    public int size() {
        return delayNanos.length;
    }

    /** @return the number of layers */
    public int layers() {
        return layers;
    }

    /** @return the resources per layer */
    public int width() {
        return width;
    }

    /**
     * @param resource a resource's index
     * @return its name, for bean and plan names
     */
    public String resourceName(int resource) {
        return "r" + (resource / width) + "_" + (resource % width);
    }

    /**
     * @param resource a resource's index
     * @return its cleanup delay in nanoseconds
     */
    public long delayNanos(int resource) {
        return delayNanos[resource];
    }

    /**
     * @param resource a resource's index
     * @return the indexes of the resources it depends on; the caller must not modify the array
     */
    public int[] dependsOn(int resource) {
        return dependsOn[resource];
    }

    /**
     * @param resource a resource's index
     * @return the names of the resources it depends on
     */
    public String[] dependsOnNames(int resource) {
        int[] targets = dependsOn[resource];
        String[] names = new String[targets.length];
        for (int i = 0; i < targets.length; i++) {
            names[i] = resourceName(targets[i]);
        }
        return names;
    }

    /** @return the number of dependency edges */
    public int edgeCount() {
        int edges = 0;
        for (int[] targets : dependsOn) {
            edges += targets.length;
        }
        return edges;
    }

    /**
     * The longest chain of cleanup delays along dependency edges: no schedule that honours every edge can finish
     * sooner.
     * @return the critical path in nanoseconds
     */
    public long criticalPathNanos() {
        long[] ready = new long[size()];
        long longest = 0;
        // Dependencies always point to a higher index, so index order is a topological order of the drop.
        for (int k = 0; k < size(); k++) {
            long finish = ready[k] + delayNanos[k];
            longest = Math.max(longest, finish);
            for (int target : dependsOn[k]) {
                ready[target] = Math.max(ready[target], finish);
            }
        }
        return longest;
    }

    /** @return the sum of every cleanup delay in nanoseconds: the makespan of a sequential drop */
    public long sumNanos() {
        long sum = 0;
        for (long delay : delayNanos) {
            sum += delay;
        }
        return sum;
    }
}
