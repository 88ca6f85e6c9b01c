package dev.asyncdrop.compat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.compat.SmokeApplication.Pool;
import dev.asyncdrop.test.ContextShutdown;
import dev.asyncdrop.test.DetectLeaks;
import dev.asyncdrop.test.DropAssertions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter on one Spring Boot line, as an application sees it: the same test runs in each line's module, against
 * that line's own dependencies.
 */
@ExtendWith(OutputCaptureExtension.class)
class SmokeApplicationTests {

    @TempDir
    Path reports;

    @Test
    void runsOnTheSpringBootLineOfItsModule() {
        assertThat(SpringBootVersion.getVersion()).isEqualTo(System.getProperty("compat.spring-boot.version"));
    }

    @Test
    @DetectLeaks
    void dropsInOrderMetersDropsServesTheEndpointAndPublishesTheLastShutdownAtTheNextStart(CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext context = start(WebApplicationType.SERVLET)) {
            Pool pool = context.getBean(Pool.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            // Meter registries are closed before the shutdown's drops: what is measured live is a guard's drop,
            // once, by the observation's meter handler.
            AsyncDropGuard.of(new Session()).asyncDrop().toCompletableFuture().join();
            assertThat(registry.find("async.drop").tag("resource", "Session").timers()).singleElement()
                .satisfies((drops) -> assertThat(drops.count()).isEqualTo(1));
            assertThat(registry.find("async.drop.guards.live").gauge()).isNotNull();

            HttpResponse<String> endpoint = get(context, "/actuator/asyncdrop");
            assertThat(endpoint.statusCode()).isEqualTo(200);
            // Jackson 2 on Spring Boot 3.5, Jackson 3 on 4.x: the same JSON, whatever the application's naming.
            assertThat(endpoint.body()).contains("\"name\":\"writer\"", "\"dependsOn\":[\"pool\"]",
                    "\"timeout\":\"PT20S\"", "\"worstCase\":")
                .doesNotContain("depends_on", "null");

            // Stopping is not closing (Spring Framework 6.2 and 7 stop lifecycle beans differently): nothing drops.
            context.stop();
            assertThat(pool.connectionsInUse()).isOne();
            assertThat(pool.isClosed()).isFalse();

            // The writer gives its connection back 50 ms into its drop, on another thread: the pool fails its drop
            // if it starts before that.
            DropAssertions.assertThat(ContextShutdown.closeAndReport(context))
                .hasNoFailures()
                .droppedBefore("writer", "pool");
            assertThat(pool.isClosed()).isTrue();
        }

        try (ConfigurableApplicationContext context = start(WebApplicationType.NONE)) {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("async.drop.last.shutdown.duration").timeGauge().value()).isPositive();
            assertThat(registry.get("async.drop.last.shutdown.failures").gauge().value()).isZero();
            assertThat(registry.get("async.drop.last.shutdown.timeouts").gauge().value()).isZero();
            assertThat(registry.get("async.drop.last.shutdown.resource").tags("resource", "writer", "outcome",
                    "success").timeGauge().value()).isNotNegative();
        }
        assertThat(output).doesNotContain("WARN", "ERROR");
    }

    private ConfigurableApplicationContext start(WebApplicationType type) {
        return new SpringApplicationBuilder(SmokeApplication.class).web(type)
                .properties("spring.main.banner-mode=off", "server.address=127.0.0.1", "server.port=0",
                        "management.endpoints.web.exposure.include=asyncdrop",
                        "spring.jackson.property-naming-strategy=SNAKE_CASE",
                        "async-drop.report.directory=" + reports)
                .run();
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A resource created at run time, owned by a guard. */
    static final class Session implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
