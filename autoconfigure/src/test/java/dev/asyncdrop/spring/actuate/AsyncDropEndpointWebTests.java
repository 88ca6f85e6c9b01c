package dev.asyncdrop.spring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncdrop.AsyncDroppable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint over real HTTP, on loopback and a free port, as a user sees it.
 */
class AsyncDropEndpointWebTests {

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // One application for the tests of the exposed endpoint: starting a web server is the slow part.
    private static @Nullable ConfigurableApplicationContext exposed;

    @BeforeAll
    static void startAnApplicationThatExposesTheEndpoint() {
        exposed = start("management.endpoints.web.exposure.include=asyncdrop");
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
        JsonNode body = JsonMapper.builder().build().readTree(response.body());
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
    void theEndpointIsNotExposedOverTheWebByDefault() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(get(context, "/actuator/asyncdrop").statusCode()).isEqualTo(404);
            assertThat(get(context, "/actuator/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theEndpointOffersNoWriteOperation() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(uri(exposed(), "/actuator/asyncdrop"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();

        assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
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
