package dev.asyncdrop.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.test.DropAssertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole application in this JVM on a loopback port, with its own H2 file database: the endpoints' answers, and
 * what closing the application context does to the acknowledged events.
 */
class SampleApplicationTests {

    private final List<InProcessSampleApp> apps = new ArrayList<>();

    @TempDir
    Path database;

    @AfterEach
    void closeApplications() {
        this.apps.forEach(InProcessSampleApp::close);
    }

    @Test
    void anEventIsAcceptedAtOnceAndWrittenBehind() throws Exception {
        InProcessSampleApp app = run("--sample.buffer.flush-interval=1h");

        HttpResponse<String> posted = app.postEvent("{\"payload\": \"hello\"}");

        assertThat(posted.statusCode()).isEqualTo(202);
        // The first flush is an hour away: the event is acknowledged, not written yet.
        assertThat(app.countEvents()).isZero();
    }

    @Test
    void closingTheApplicationWritesEveryAcknowledgedEventThenDropsTheExecutorAndThePool() throws Exception {
        InProcessSampleApp app = run("--sample.buffer.flush-interval=1h");
        ThreadPoolTaskExecutor executor = app.bean(ThreadPoolTaskExecutor.class);
        HikariDataSource pool = app.bean(HikariDataSource.class);
        for (int i = 0; i < 25; i++) {
            assertThat(app.postEvent("{\"payload\": \"event-" + i + "\"}").statusCode()).isEqualTo(202);
        }

        DropReport report = app.closeAndReport();

        DropAssertions.assertThat(report)
            .hasNoFailures()
            .droppedBefore("eventBuffer", "applicationTaskExecutor")
            .droppedBefore("applicationTaskExecutor", "dataSource");
        assertThat(executor.getThreadPoolExecutor().isTerminated()).isTrue();
        assertThat(pool.isClosed()).isTrue();
        assertThat(app.rowsInDatabase()).isEqualTo(25);
    }

    @Test
    void theCountAnswersTheRowsWritten() throws Exception {
        InProcessSampleApp app = run("--sample.buffer.flush-interval=10ms");
        app.postEvent("{\"payload\": \"one\"}");
        app.postEvent("{\"payload\": \"two\"}");

        await().atMost(Duration.ofMinutes(1)).until(() -> app.countEvents() == 2);
    }

    @Test
    void aFullBufferAnswers503WithAProblemDetailAndRetryAfterTheFlushInterval() throws Exception {
        InProcessSampleApp app = run("--sample.buffer.flush-interval=1h", "--sample.buffer.capacity=2");
        app.postEvent("{\"payload\": \"one\"}");
        app.postEvent("{\"payload\": \"two\"}");

        HttpResponse<String> refused = app.postEvent("{\"payload\": \"three\"}");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3600");
        JsonNode problem = InProcessSampleApp.json(refused);
        assertThat(problem.get("type").asString()).isEqualTo("urn:async-drop-sample:buffer-full");
        assertThat(problem.get("title").asString()).isEqualTo("Event buffer full");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asString()).isEqualTo("The buffer holds 2 events waiting to be written; "
                + "the event was not accepted. Send it again after the time in the Retry-After header.");
        assertThat(problem.get("instance").asString()).isEqualTo("/events");
        assertThat(app.bean(EventBuffer.class).acknowledgedCount()).isEqualTo(2);
    }

    @Test
    void onceTheBufferIsDroppingAnEventIsRefusedWith503AndRetryAfterTheDropPhaseTimeout() throws Exception {
        InProcessSampleApp app = run("--async-drop.timeout-per-phase=7s");
        app.bean(EventBuffer.class).asyncDrop();

        HttpResponse<String> refused = app.postEvent("{\"payload\": \"late\"}");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
        JsonNode problem = InProcessSampleApp.json(refused);
        assertThat(problem.get("type").asString()).isEqualTo("urn:async-drop-sample:shutting-down");
        assertThat(problem.get("title").asString()).isEqualTo("Shutting down");
        assertThat(problem.get("detail").asString()).isEqualTo("The application is shutting down and no longer "
                + "accepts events; the event was not accepted. Send it again once the application is back, no sooner "
                + "than the time in the Retry-After header.");
    }

    @Test
    void theActuatorExposesHealthAndMetrics() throws Exception {
        InProcessSampleApp app = run();

        assertThat(app.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(app.get("/actuator/metrics").statusCode()).isEqualTo(200);
        assertThat(app.get("/actuator/metrics/hikaricp.connections").statusCode()).isEqualTo(200);
        assertThat(app.get("/actuator/metrics/sample.buffer.pending").statusCode()).isEqualTo(200);
    }

    @Test
    void theAsyncDropEndpointShowsTheBufferDependingOnTheExecutorAndThePoolWithTheirOwnTypes() throws Exception {
        InProcessSampleApp app = run();

        HttpResponse<String> response = app.get("/actuator/asyncdrop");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, JsonNode> resources = new HashMap<>();
        for (JsonNode resource : InProcessSampleApp.json(response).get("resources")) {
            resources.put(resource.get("name").asString(), resource);
        }
        assertThat(resources).as("resources in %s", response.body())
            .containsOnlyKeys("asyncDropScope", "eventBuffer", "applicationTaskExecutor", "dataSource");
        assertThat(resources.get("eventBuffer").get("dependsOn").valueStream().map(JsonNode::asString))
            .containsExactlyInAnyOrder("dataSource", "applicationTaskExecutor");
        assertThat(resources.get("applicationTaskExecutor").get("dependsOn").valueStream().map(JsonNode::asString))
            .containsExactly("dataSource");
        assertThat(resources.get("applicationTaskExecutor").get("type").asString())
            .isEqualTo(ThreadPoolTaskExecutor.class.getName());
        assertThat(resources.get("dataSource").get("type").asString()).isEqualTo(HikariDataSource.class.getName());
    }

    private InProcessSampleApp run(String... arguments) {
        InProcessSampleApp app = InProcessSampleApp.start(this.database, arguments);
        this.apps.add(app);
        return app;
    }
}
