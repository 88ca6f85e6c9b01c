package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;

import dev.asyncdrop.coordinator.DropOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bean graphs mixing droppable beans and plain ones: at close every droppable bean is dropped exactly once,
 * and never before a droppable bean that reaches it through any chain of dependencies has finished.
 */
class RandomGraphShutdownTests {

    private static final int BEANS = 60;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class))
        // Generous for a busy machine, and below Spring Boot's 30s per shutdown phase.
        .withPropertyValues("async-drop.timeout-per-phase=20s")
        .withBean(ReportCapture.class);

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8 })
    void everyDroppableBeanIsDroppedOnceAfterEveryBeanThatReachesIt(long seed) {
        Random random = new Random(seed);
        DropEvents events = new DropEvents();
        boolean[] droppable = new boolean[BEANS];
        List<List<Integer>> dependencies = new ArrayList<>();
        for (int i = 0; i < BEANS; i++) {
            droppable[i] = random.nextInt(10) < 7;
            List<Integer> uses = new ArrayList<>();
            for (int edge = random.nextInt(4); edge > 0 && i > 0; edge--) {
                int target = random.nextInt(i);
                if (!uses.contains(target)) {
                    uses.add(target);
                }
            }
            dependencies.add(uses);
        }
        contextRunner.withInitializer(context -> register((GenericApplicationContext) context, droppable,
                dependencies, events, random)).run(context -> {
                    ReportCapture reports = context.getBean(ReportCapture.class);
                    context.close();
                    assertThat(reports.outcomes()).doesNotContainValue(DropOutcome.TIMED_OUT)
                        .doesNotContainValue(DropOutcome.SKIPPED);
                    for (int i = 0; i < BEANS; i++) {
                        if (!droppable[i]) {
                            continue;
                        }
                        assertThat(events.list()).containsOnlyOnce("start:" + name(i));
                        for (int reached : reachable(i, dependencies)) {
                            if (droppable[reached]) {
                                assertThat(events.indexOf("end:" + name(i)))
                                    .as("%s uses %s", name(i), name(reached))
                                    .isLessThan(events.indexOf("start:" + name(reached)));
                            }
                        }
                    }
                });
    }

    private static void register(GenericApplicationContext context, boolean[] droppable,
            List<List<Integer>> dependencies, DropEvents events, Random random) {
        for (int i = 0; i < BEANS; i++) {
            String name = name(i);
            String[] dependsOn = dependencies.get(i).stream().map(RandomGraphShutdownTests::name)
                .toArray(String[]::new);
            Duration delay = Duration.ofMillis(random.nextInt(3));
            if (droppable[i]) {
                context.registerBean(name, RecordingDroppable.class, () -> new RecordingDroppable(name, events, delay),
                        definition -> definition.setDependsOn(dependsOn));
            }
            else {
                context.registerBean(name, Object.class, Object::new, definition -> definition.setDependsOn(dependsOn));
            }
        }
    }

    private static Set<Integer> reachable(int source, List<List<Integer>> dependencies) {
        Set<Integer> reached = new HashSet<>();
        Deque<Integer> queue = new ArrayDeque<>(dependencies.get(source));
        while (!queue.isEmpty()) {
            int next = queue.poll();
            if (reached.add(next)) {
                queue.addAll(dependencies.get(next));
            }
        }
        return reached;
    }

    private static String name(int index) {
        return "bean" + index;
    }
}
