package dev.asyncdrop.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole application in this JVM on a loopback port, with its own H2 file database: the endpoints' answers, and
 * what closing the application context does to the acknowledged events.
 */
class SampleApplicationTests {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @TempDir
    Path database;

    @AfterEach
    void closeApplications() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void anEventIsAcceptedAtOnceAndWrittenBehind() throws Exception {
        ConfigurableApplicationContext app = run("--sample.buffer.flush-interval=1h");

        HttpResponse<String> posted = postEvent(app, "{\"payload\": \"hello\"}");

        assertThat(posted.statusCode()).isEqualTo(202);
        // The first flush is an hour away: the event is acknowledged, not written yet.
        assertThat(countEvents(app)).isZero();
    }

    @Test
    void closingTheApplicationWritesEveryAcknowledgedEventThenDropsTheExecutorAndThePool() throws Exception {
        ConfigurableApplicationContext app = run("--sample.buffer.flush-interval=1h");
        FlushExecutor executor = app.getBean(FlushExecutor.class);
        HikariDataSource pool = app.getBean(HikariDataSource.class);
        for (int i = 0; i < 25; i++) {
            assertThat(postEvent(app, "{\"payload\": \"event-" + i + "\"}").statusCode()).isEqualTo(202);
        }

        app.close();

        // The executor's drop completes from its terminated() hook, just before it reports itself terminated.
        await().atMost(Duration.ofMinutes(1)).until(executor::isTerminated);
        assertThat(pool.isClosed()).isTrue();
        assertThat(rowsInDatabase()).isEqualTo(25);
    }

    @Test
    void theCountAnswersTheRowsWritten() throws Exception {
        ConfigurableApplicationContext app = run("--sample.buffer.flush-interval=10ms");
        postEvent(app, "{\"payload\": \"one\"}");
        postEvent(app, "{\"payload\": \"two\"}");

        await().atMost(Duration.ofMinutes(1)).until(() -> countEvents(app) == 2);
    }

    @Test
    void aFullBufferAnswers503AndSaysToRetryLater() throws Exception {
        ConfigurableApplicationContext app = run("--sample.buffer.flush-interval=1h", "--sample.buffer.capacity=2");
        postEvent(app, "{\"payload\": \"one\"}");
        postEvent(app, "{\"payload\": \"two\"}");

        HttpResponse<String> refused = postEvent(app, "{\"payload\": \"three\"}");

        assertThat(refused.statusCode()).isEqualTo(503);
        JsonNode problem = problem(refused);
        assertThat(problem.get("title").asString()).isEqualTo("Event buffer full");
        assertThat(problem.get("detail").asString()).isEqualTo(
                "The buffer holds 2 events waiting to be written; the event was not accepted, retry later");
    }

    @Test
    void onceTheBufferIsDroppingAnEventIsRefusedWith503() throws Exception {
        ConfigurableApplicationContext app = run();
        app.getBean(EventBuffer.class).asyncDrop();

        HttpResponse<String> refused = postEvent(app, "{\"payload\": \"late\"}");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(problem(refused).get("title").asString()).isEqualTo("Shutting down");
    }

    @Test
    void requestsWithoutAUsablePayloadAreRefusedWithAProblemDetail() throws Exception {
        ConfigurableApplicationContext app = run();

        HttpResponse<String> missing = postEvent(app, "{}");
        HttpResponse<String> blank = postEvent(app, "{\"payload\": \"  \"}");
        HttpResponse<String> tooLong = postEvent(app, "{\"payload\": \"" + "x".repeat(1001) + "\"}");
        HttpResponse<String> malformed = postEvent(app, "not json");

        assertThat(List.of(missing, blank, tooLong, malformed)).allSatisfy((response) -> {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        });
        assertThat(problem(missing).get("title").asString()).isEqualTo("Missing payload");
        assertThat(problem(blank).get("title").asString()).isEqualTo("Missing payload");
        assertThat(problem(tooLong).get("detail").asString())
            .isEqualTo("The payload has 1001 characters; send at most 1000");
        assertThat(countEvents(app)).isZero();
    }

    @Test
    void theActuatorExposesHealthAndMetrics() throws Exception {
        ConfigurableApplicationContext app = run();

        assertThat(get(app, "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get(app, "/actuator/metrics").statusCode()).isEqualTo(200);
        assertThat(get(app, "/actuator/metrics/hikaricp.connections").statusCode()).isEqualTo(200);
        assertThat(get(app, "/actuator/metrics/sample.buffer.pending").statusCode()).isEqualTo(200);
    }

    @Test
    void theAsyncDropEndpointShowsTheBufferDependingOnTheExecutorAndThePool() throws Exception {
        ConfigurableApplicationContext app = run();

        HttpResponse<String> response = get(app, "/actuator/asyncdrop");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode buffer = null;
        for (JsonNode resource : JsonMapper.shared().readTree(response.body()).get("resources")) {
            if (resource.get("name").asString().equals("eventBuffer")) {
                buffer = resource;
            }
        }
        assertThat(buffer).as("eventBuffer in %s", response.body()).isNotNull();
        assertThat(buffer.get("dependsOn").valueStream().map(JsonNode::asString))
            .containsExactlyInAnyOrder("connectionPool", "flushExecutor");
    }

    private ConfigurableApplicationContext run(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
                "--spring.datasource.url=" + databaseUrl(),
                "--async-drop.report.directory=" + this.database.toAbsolutePath().resolve("shutdown-reports")));
        all.addAll(List.of(arguments));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
            .run(all.toArray(String[]::new));
        this.contexts.add(context);
        return context;
    }

    private String databaseUrl() {
        return "jdbc:h2:file:" + this.database.toAbsolutePath().resolve("db");
    }

    private long rowsInDatabase() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(databaseUrl(), "sa", "");
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from events", Long.class);
    }

    private HttpResponse<String> postEvent(ConfigurableApplicationContext app, String json)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(app, "/events"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
        return this.client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private long countEvents(ConfigurableApplicationContext app) throws IOException, InterruptedException {
        HttpResponse<String> response = get(app, "/events/count");
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body()).get("count").asLong();
    }

    private HttpResponse<String> get(ConfigurableApplicationContext app, String path)
            throws IOException, InterruptedException {
        return this.client.send(HttpRequest.newBuilder(uri(app, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> response) {
        return JsonMapper.shared().readTree(response.body());
    }

    private static URI uri(ConfigurableApplicationContext app, String path) {
        return URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path);
    }
}
