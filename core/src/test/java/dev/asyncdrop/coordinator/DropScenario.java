package dev.asyncdrop.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A random graph for the {@link DropPlan} properties: resource {@code i} may depend only on resources {@code j > i},
 * so it is acyclic, and phases do not increase with the index, so no dependency points into a higher phase.
 * Resources are added in a random order, so the order of addition says nothing about the order of drops.
 * <p>
 * Everything is drawn from one {@link SplittableRandom} seeded with {@link #seed()}, so the same seed always gives
 * the same scenario and a failing one can be rerun on its own.
 *
 * @param seed the seed the scenario was generated from
 * @param size how many resources there are, named {@code r0} to {@code r(size-1)}
 * @param phases the phase of each resource
 * @param behaviors how each resource's drop behaves
 * @param delaysMillis how long each {@link Behavior#DELAYED} or {@link Behavior#FAILS_LATER} drop takes
 * @param dependsOn {@code dependsOn[i][j]} when resource {@code i} depends on resource {@code j}
 * @param addOrder the order in which the resources are added to the plan
 * @param hanging the resource whose drop never completes, or {@code -1} for none
 */
record DropScenario(long seed, int size, int[] phases, List<Behavior> behaviors, int[] delaysMillis,
        boolean[][] dependsOn, List<Integer> addOrder, int hanging) {

    private static final int MAX_SIZE = 24;

    private static final int MAX_PHASE = 3;

    /** Short, so that many graphs fit in the suite; a few milliseconds still let drops overlap and finish late. */
    private static final int MAX_DELAY_MILLIS = 2;

    /** Edge probability is drawn per scenario, up to this percentage, so both sparse and dense graphs come up. */
    private static final int MAX_DENSITY_PERCENT = 50;

    /** How a resource's drop behaves, apart from hanging. */
    enum Behavior {
        INSTANT, DELAYED, THROWS, NULL_STAGE, FAILED_STAGE, FAILS_LATER;

        DropOutcome expected() {
            return this == INSTANT || this == DELAYED ? DropOutcome.DROPPED : DropOutcome.FAILED;
        }
    }

    /**
     * Generates the scenario for a seed.
     *
     * @param seed the seed; the same seed gives the same scenario
     * @param withHang whether one resource, picked at random, hangs
     * @return the scenario
     */
    static DropScenario random(long seed, boolean withHang) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = random.nextInt(1, MAX_SIZE + 1);

        // Negated around the sort to get descending phases.
        int[] phases = random.ints(size, 0, MAX_PHASE + 1).map(phase -> -phase).sorted().map(phase -> -phase)
                .toArray();

        Behavior[] all = Behavior.values();
        List<Behavior> behaviors = random.ints(size, 0, all.length).mapToObj(index -> all[index]).toList();
        int[] delaysMillis = random.ints(size, 0, MAX_DELAY_MILLIS + 1).toArray();

        int density = random.nextInt(0, MAX_DENSITY_PERCENT + 1);
        boolean[][] dependsOn = new boolean[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                dependsOn[i][j] = random.nextInt(100) < density;
            }
        }

        List<Integer> addOrder = new ArrayList<>(IntStream.range(0, size).boxed().toList());
        // Collections.shuffle takes only a java.util.Random before Java 21, so shuffle on the seeded generator here.
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = addOrder.get(i);
            addOrder.set(i, addOrder.get(j));
            addOrder.set(j, swap);
        }

        int hanging = withHang ? random.nextInt(size) : -1;
        return new DropScenario(seed, size, phases, behaviors, delaysMillis, dependsOn, List.copyOf(addOrder), hanging);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size; i++) {
            int node = i;
            text.append("r").append(i).append("[phase ").append(phases[i]).append(", ").append(behaviors.get(i))
                    .append(behaviors.get(i) == Behavior.DELAYED || behaviors.get(i) == Behavior.FAILS_LATER
                            ? " " + delaysMillis[i] + "ms" : "")
                    .append(i == hanging ? ", HANGS" : "").append("] -> ")
                    .append(IntStream.range(0, size).filter(j -> dependsOn[node][j]).mapToObj(j -> "r" + j)
                            .collect(Collectors.joining(", ")))
                    .append("; ");
        }
        return text + "added in order " + addOrder;
    }
}
