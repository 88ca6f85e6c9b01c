package dev.asyncdrop.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.asyncdrop.internal.UnrenderableFailure;

import static org.assertj.core.api.Assertions.assertThat;

class DropReportTests {

    private static final String AWKWARD = "q\"uote \\back\\slash \n\r\t\b\f \u0001\u001f\u007f tab\u2028 é ✓ 😀 \ud800x";

    private final ObjectMapper json = new ObjectMapper();

    private final Drops drops = new Drops();

    private static @Nullable DropReport sampleReport;

    /**
     * One execution shared by the tests that render it: its phase deadline must pass only after the drops that do
     * not wait for the hanging one have finished, which takes a margin worth paying once rather than per test.
     */
    private static synchronized DropReport sampleReport() {
        if (sampleReport == null) {
            sampleReport = executeSample(new Drops());
        }
        return sampleReport;
    }

    private static DropReport executeSample(Drops drops) {
        IllegalStateException failure = new IllegalStateException("broke \"badly\"\n" + AWKWARD);
        return DropPlan.builder()
                .phaseTimeout(0, Duration.ofSeconds(3))
                .add("web", drops.delayed("web", 20), n -> n.phase(10).dependsOn(AWKWARD, "pool"))
                .add(AWKWARD, drops.delayed(AWKWARD, 10), n -> n.dependsOn("pool"))
                .add("failing", () -> CompletableFuture.failedFuture(failure), n -> n.dependsOn("pool"))
                .add("pool", drops.delayed("pool", 10))
                .add("hang", drops.hanging("hang"), n -> n.dependsOn("skipped"))
                .add("skipped", drops.instant("skipped"))
                .build()
                .execute()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void theJsonParsesAndCarriesEveryRecordWithItsNameIntact() {
        DropReport report = sampleReport();

        JsonNode root = json.readTree(report.toJson());

        assertThat(root.get("records").size()).isEqualTo(6);
        List<String> names = new ArrayList<>();
        root.get("records").forEach(record -> names.add(record.get("name").asString()));
        assertThat(names).containsExactlyElementsOf(report.records().stream().map(DropRecord::name).toList());
        assertThat(names).contains(AWKWARD);
        JsonNode failing = find(root.get("records"), "failing");
        assertThat(failing.get("outcome").asString()).isEqualTo("FAILED");
        assertThat(failing.get("failure").get("type").asString()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failing.get("failure").get("message").asString()).isEqualTo("broke \"badly\"\n" + AWKWARD);
        assertThat(root.get("counts").get("SKIPPED").asInt()).isEqualTo(1);
        assertThat(root.get("counts").get("TIMED_OUT").asInt()).isEqualTo(1);
        assertThat(root.get("phases").size()).isEqualTo(2);
        assertThat(root.get("makespanMillis").asDouble()).isEqualTo(report.makespan().toNanos() / 1_000 / 1e3);
        assertThat(root.get("criticalPath").size()).isEqualTo(report.criticalPathResources().size());
    }

    @Test
    void failuresThatCannotRenderThemselvesOrWhoseCausesFormACycleAreReportedInEveryRendering() {
        IllegalStateException cyclic = new IllegalStateException("cyclic");
        cyclic.initCause(new IllegalArgumentException("causing it", cyclic));
        DropReport report = DropPlan.builder()
                .add("unrenderable", () -> CompletableFuture.failedFuture(new UnrenderableFailure()))
                .add("cyclic", () -> CompletableFuture.supplyAsync(() -> {
                    throw cyclic;
                }))
                .build()
                .execute()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();

        assertThat(report.count(DropOutcome.FAILED)).isEqualTo(2);
        assertThat(report.records()).anySatisfy(record -> assertThat(record.failure()).containsSame(cyclic))
                .anySatisfy(record -> assertThat(record.failure()).get().isInstanceOf(UnrenderableFailure.class));
        JsonNode unrenderable = find(json.readTree(report.toJson()).get("records"), "unrenderable");
        assertThat(unrenderable.get("failure").get("message").asString())
                .isEqualTo("(its getMessage() threw java.lang.IllegalStateException: no message)");
        assertThat(report.toText()).contains("Failed: unrenderable: " + UnrenderableFailure.class.getName()
                + " (its toString() threw", "Failed: cyclic: " + cyclic);
        assertThat(report.toString()).isNotEmpty();
        assertThat(json.readTree(report.toTraceEventJson()).toString()).contains(UnrenderableFailure.class.getName());
        assertThat(report.records()).extracting(DropRecord::toString)
                .anySatisfy(text -> assertThat(text).endsWith(": " + UnrenderableFailure.description()));
    }

    @Test
    void anEmptyReportIsValidJsonToo() {
        DropReport empty = DropPlan.builder().add("a", drops.instant("a")).build().report();

        assertThat(json.readTree(empty.toJson()).get("records").size()).isZero();
        assertThat(json.readTree(empty.toTraceEventJson()).get("traceEvents").size()).isZero();
        assertThat(empty.toText()).startsWith("0 resources in ");
    }

    @Test
    void traceEventsAreCompleteEventsAndOverlappingDropsNeverShareALane() {
        DropPlan.Builder builder = DropPlan.builder();
        for (int i = 0; i < 12; i++) {
            builder.add("r" + i, drops.delayed("r" + i, 5 + i), n -> n.dependsOn("last"));
        }
        builder.add("last", drops.delayed("last", 5));
        DropReport report = builder.build().execute().orTimeout(30, TimeUnit.SECONDS).join();

        JsonNode root = json.readTree(report.toTraceEventJson());

        assertThat(root.get("displayTimeUnit").asString()).isEqualTo("ms");
        Map<Integer, List<double[]>> lanes = new HashMap<>();
        int drops = 0;
        for (JsonNode event : root.get("traceEvents")) {
            assertThat(event.get("ph").asString()).isEqualTo("X");
            assertThat(event.get("pid").asInt()).isEqualTo(1);
            if (event.get("cat").asString().equals("drop")) {
                drops++;
                double start = event.get("ts").asDouble();
                double end = start + event.get("dur").asDouble();
                List<double[]> lane = lanes.computeIfAbsent(event.get("tid").asInt(), tid -> new ArrayList<>());
                for (double[] other : lane) {
                    assertThat(start >= other[1] || end <= other[0])
                            .as("%s overlaps another drop on lane %s", event.get("name"), event.get("tid")).isTrue();
                }
                lane.add(new double[] { start, end });
                assertThat(event.get("args").get("outcome").asString()).isEqualTo("DROPPED");
            }
        }
        assertThat(drops).isEqualTo(13);
        assertThat(lanes.size()).isGreaterThan(1);
    }

    @Test
    void theTextHasARowWithATimelineBarPerResourceAndFitsALog() {
        DropReport report = sampleReport();

        String text = report.toText();

        String[] lines = text.split(System.lineSeparator());
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
        assertThat(lines[0]).startsWith("6 resources in ").contains("1 failed", "1 timed out", "1 skipped")
                .containsPattern("critical path [0-9.]+ ms, [0-9]+\\.[0-9]{2}x of it\\)");
        for (String name : List.of("web", "failing", "pool", "hang", "skipped")) {
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith(name + " ").matches(".*\\|[ #x!.]+\\|"));
        }
        assertThat(text).doesNotContain("\u0001").contains("q\"uote");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("Failed: failing: "));
        assertThat(text).contains("Phase 10: DROPPED", "Phase 0: TIMED_OUT");
    }

    @Test
    void eachOutcomeHasOneWordAndTheTextUsesNoOther() {
        assertThat(DropOutcome.values()).extracting(DropOutcome::label)
                .containsExactly("dropped", "failed", "timed out", "skipped");

        String text = sampleReport().toText();

        String summary = text.lines().findFirst().orElseThrow();
        assertThat(summary).endsWith("): 3 dropped, 1 failed, 1 timed out, 1 skipped").doesNotContainIgnoringCase(
                "dropped 6");
        assertThat(text).contains("# dropped  x failed  ! timed out  . skipped");
        assertThat(sampleReport().toString()).contains("3 dropped, 1 failed, 1 timed out, 1 skipped");
    }

    @Test
    void theCriticalPathIsTheLongestChainOfMeasuredDurations() {
        DropReport report = DropPlan.builder()
                .add("slowTop", drops.delayed("slowTop", 60), n -> n.dependsOn("mid"))
                .add("fastTop", drops.instant("fastTop"), n -> n.dependsOn("mid"))
                .add("mid", drops.delayed("mid", 20), n -> n.dependsOn("bottom"))
                .add("bottom", drops.delayed("bottom", 10))
                .add("alone", drops.delayed("alone", 5))
                .build()
                .execute()
                .orTimeout(30, TimeUnit.SECONDS)
                .join();

        assertThat(report.criticalPathResources()).containsExactly("slowTop", "mid", "bottom");
        Duration sum = DropPlanTests.record(report, "slowTop").duration()
                .plus(DropPlanTests.record(report, "mid").duration())
                .plus(DropPlanTests.record(report, "bottom").duration());
        assertThat(report.criticalPath()).isEqualTo(sum);
        assertThat(report.makespan()).isGreaterThanOrEqualTo(report.criticalPath());
    }

    @Test
    void recordsAreInStartOrderAndCountsAddUp() {
        DropReport report = sampleReport();

        assertThat(report.records()).isSortedAccordingTo((a, b) -> a.startOffset().compareTo(b.startOffset()));
        int total = 0;
        for (DropOutcome outcome : DropOutcome.values()) {
            total += report.count(outcome);
        }
        assertThat(total).isEqualTo(report.records().size());
        assertThat(report.allDropped()).isFalse();
        assertThat(report.toString()).contains("6 resources", "1 failed");
    }

    private static JsonNode find(JsonNode records, String name) {
        for (JsonNode record : records) {
            if (record.get("name").asString().equals(name)) {
                return record;
            }
        }
        throw new AssertionError("no record named " + name);
    }
}
