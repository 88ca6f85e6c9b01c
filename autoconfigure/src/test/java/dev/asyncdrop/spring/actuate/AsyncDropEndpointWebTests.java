package dev.asyncdrop.spring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.report.ShutdownReportStore;
import dev.asyncdrop.spring.report.ShutdownSummary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint over real HTTP, on loopback and a free port, as a user sees it.
 */
@ExtendWith(OutputCaptureExtension.class)
class AsyncDropEndpointWebTests {

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // One application for the tests of the exposed endpoint: starting a web server is the slow part.
    private static @Nullable ConfigurableApplicationContext exposed;

    @TempDir
    static Path reports;

    private static @Nullable ShutdownSummary previousShutdown;

    @BeforeAll
    static void startAnApplicationThatExposesTheEndpointAfterAShutdownWithAFailure() throws Exception {
        DropReport previous = DropPlan.builder()
                .add("broken", () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")))
                .add("webWriter", () -> delayed(30), (n) -> n.dependsOn("webPool"))
                .add("webPool", () -> delayed(20))
                .build()
                .execute()
                .get(30, TimeUnit.SECONDS);
        previousShutdown = ShutdownReportStore.open(reports, 10).write(previous);
        exposed = start("management.endpoints.web.exposure.include=asyncdrop,metrics",
                "async-drop.report.directory=" + reports);
    }

    @AfterAll
    static void stopTheApplication() {
        if (exposed != null) {
            exposed.close();
        }
    }

    @Test
    void anExposedEndpointAnswersWithThePlanAsJson() throws Exception {
        HttpResponse<String> response = get(exposed(), "/actuator/asyncdrop");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).contains("json"));
        JsonNode body = json(response);
        assertThat(body.path("phases").isArray()).isTrue();
        assertThat(body.path("phases")).isNotEmpty();
        assertThat(body.path("phases").get(0).path("timeout").asString()).isEqualTo("PT5S");
        Map<String, JsonNode> resources = new HashMap<>();
        body.path("resources").forEach((resource) -> resources.put(resource.path("name").asString(), resource));
        assertThat(resources).containsKeys("webWriter", "webPool");
        JsonNode writer = resources.get("webWriter");
        assertThat(writer.path("type").asString()).isEqualTo(WebWriter.class.getName());
        assertThat(writer.path("dependsOn").get(0).asString()).isEqualTo("webPool");
        assertThat(resources.get("webPool").path("dependents").get(0).asString()).isEqualTo("webWriter");
        assertThat(body.path("liveGuards").isNumber()).isTrue();
        assertThat(body.path("leaks").isNumber()).isTrue();
    }

    @Test
    void theLastShutdownIsOnTheEndpointAndItsFiguresAreMetrics() throws Exception {
        JsonNode last = json(get(exposed(), "/actuator/asyncdrop")).path("lastShutdown");

        assertThat(last.path("failures").asInt()).isEqualTo(1);
        assertThat(last.path("timeouts").asInt()).isZero();
        assertThat(previousShutdown).isNotNull();
        assertThat(Instant.parse(last.path("shutdownAt").asString())).isEqualTo(previousShutdown.shutdownAt());
        assertThat(Duration.parse(last.path("makespan").asString())).isEqualTo(previousShutdown.makespan());
        assertThat(last.path("traceFile").asString()).isEqualTo(previousShutdown.traceFile());
        JsonNode failures = json(get(exposed(), "/actuator/metrics/async.drop.last.shutdown.failures"));
        assertThat(failures.path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
    }

    @Test
    void theShutdownsWorstCaseAndAForecastFromTheLastShutdownAreOnTheEndpoint() throws Exception {
        JsonNode body = json(get(exposed(), "/actuator/asyncdrop"));

        JsonNode shutdown = body.path("shutdown");
        assertThat(shutdown.has("budget")).isFalse();
        assertThat(Duration.parse(shutdown.path("worstCase").asString())).isPositive();
        JsonNode dropPhase = shutdown.path("phases").valueStream()
                .filter((phase) -> phase.path("droppables").asInt() > 0)
                .findFirst()
                .orElseThrow();
        assertThat(dropPhase.path("timeout").asString()).isEqualTo("PT6S");
        assertThat(dropPhase.path("property").asString()).isEqualTo("async-drop.timeout-per-phase");
        JsonNode forecast = body.path("forecast");
        assertThat(forecast.path("criticalPath").valueStream().map(JsonNode::asString).toList())
                .containsSubsequence("webWriter", "webPool");
        assertThat(Duration.parse(forecast.path("makespan").asString())).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        // Boot's executor joins the plan too, and the synthetic last shutdown never measured it.
        assertThat(forecast.path("withoutHistory").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrder("applicationTaskExecutor", "asyncDropScope");
        assertThat(Instant.parse(forecast.path("basedOn").asString())).isEqualTo(previousShutdown().shutdownAt());
    }

    @Test
    void theApplicationsJacksonSettingsDoNotChangeTheEndpointsJson() throws Exception {
        try (ConfigurableApplicationContext context = start("management.endpoints.web.exposure.include=asyncdrop",
                "spring.jackson.property-naming-strategy=SNAKE_CASE", "async-drop.report.directory=" + reports)) {
            String body = get(context, "/actuator/asyncdrop").body();

            assertThat(body).contains("\"dependsOn\":[\"webPool\"]", "\"liveGuards\":", "\"lastShutdown\":",
                    "\"worstCase\":", "\"criticalPath\":", "\"timeout\":\"PT5S\"")
                .doesNotContain("depends_on", "live_guards", "null");
        }
    }

    @Test
    void theEndpointIsNotExposedOverTheWebByDefault() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(get(context, "/actuator/asyncdrop").statusCode()).isEqualTo(404);
            assertThat(get(context, "/actuator/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theEndpointOffersNoWriteOperation(CapturedOutput output) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(uri(exposed(), "/actuator/asyncdrop"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();

        assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(output).contains("Resolved [org.springframework.web.HttpRequestMethodNotSupportedException: "
                + "Request method 'POST' is not supported]");
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }

    private static ShutdownSummary previousShutdown() {
        assertThat(previousShutdown).isNotNull();
        return previousShutdown;
    }

    private static CompletableFuture<Void> delayed(long millis) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
    }

    private static ConfigurableApplicationContext exposed() {
        assertThat(exposed).isNotNull();
        return exposed;
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(WebApplication.class).web(WebApplicationType.SERVLET)
                .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "spring.jmx.enabled=false", "async-drop.timeout-per-phase=5s")
                .properties(properties)
                .run();
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(context, path)).timeout(Duration.ofSeconds(30)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static class WebPool implements AsyncDroppable {
        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static class WebWriter implements AsyncDroppable {

        WebWriter(WebPool pool) {
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApplication {

        @Bean
        WebPool webPool() {
            return new WebPool();
        }

        @Bean
        WebWriter webWriter(WebPool webPool) {
            return new WebWriter(webPool);
        }
    }
}
