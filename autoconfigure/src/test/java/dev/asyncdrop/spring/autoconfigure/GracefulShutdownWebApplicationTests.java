package dev.asyncdrop.spring.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a web application with graceful shutdown, a request in flight when shutdown starts completes before anything
 * is dropped: the drop phase comes after the web server's graceful shutdown phase.
 */
class GracefulShutdownWebApplicationTests {

    @Test
    void aRequestInFlightWhenShutdownStartsCompletesBeforeAnyDropBegins() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApplication.class)
            .properties("server.port=0", "server.address=127.0.0.1", "server.shutdown=graceful",
                    "spring.main.banner-mode=off", "async-drop.timeout-per-phase=10s")
            .run();
        DropEvents events = context.getBean(DropEvents.class);
        SlowController controller = context.getBean(SlowController.class);
        ShutdownStarted shutdownStarted = context.getBean(ShutdownStarted.class);
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build();
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        assertThat(controller.entered.await(30, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(context::close, "closer");
        closer.start();
        assertThat(shutdownStarted.latch.await(30, TimeUnit.SECONDS)).isTrue();
        // Leave a wrong ordering the time to show: nothing may be dropped while the request is held.
        Thread.sleep(300);
        events.add("release");
        controller.release.countDown();

        HttpResponse<String> completed = response.get(30, TimeUnit.SECONDS);
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).isFalse();
        assertThat(completed.statusCode()).isEqualTo(200);
        assertThat(completed.body()).isEqualTo("done");
        assertThat(events.list()).containsSubsequence("release", "request-completed", "start:writer", "end:writer",
                "start:pool", "end:pool");
        assertThat(events.list().get(0)).isEqualTo("release");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WebApplication {

        @Bean
        DropEvents dropEvents() {
            return new DropEvents();
        }

        @Bean
        RecordingDroppable pool(DropEvents events) {
            return new RecordingDroppable("pool", events, Duration.ofMillis(20));
        }

        @Bean
        RecordingDroppable writer(RecordingDroppable pool, DropEvents events) {
            return new RecordingDroppable("writer", events, Duration.ofMillis(20));
        }

        @Bean
        SlowController slowController(DropEvents events) {
            return new SlowController(events);
        }

        @Bean
        ShutdownStarted shutdownStarted() {
            return new ShutdownStarted();
        }
    }

    @RestController
    static class SlowController {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        private final DropEvents events;

        SlowController(DropEvents events) {
            this.events = events;
        }

        @GetMapping("/slow")
        String slow() throws InterruptedException {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            events.add("request-completed");
            return "done";
        }
    }

    static class ShutdownStarted implements ApplicationListener<ContextClosedEvent> {

        final CountDownLatch latch = new CountDownLatch(1);

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            latch.countDown();
        }
    }
}
