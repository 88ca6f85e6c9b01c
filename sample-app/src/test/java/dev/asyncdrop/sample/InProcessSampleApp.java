package dev.asyncdrop.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.test.ContextShutdown;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample application in this JVM on a free loopback port, with its H2 file database and shutdown reports
 * in a directory of the test's, and an HTTP/1.1 client for it.
 */
final class InProcessSampleApp implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ConfigurableApplicationContext context;

    private final Path directory;

    private InProcessSampleApp(ConfigurableApplicationContext context, Path directory) {
        this.context = context;
        this.directory = directory;
    }

    /**
     * Starts the application on database {@code db} in {@code directory}, with extra command line arguments.
     */
    static InProcessSampleApp start(Path directory, String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
                "--spring.datasource.url=" + databaseUrl(directory),
                "--async-drop.report.directory=" + directory.toAbsolutePath().resolve("shutdown-reports")));
        all.addAll(List.of(arguments));
        return new InProcessSampleApp(new SpringApplicationBuilder(SampleApplication.class)
            .run(all.toArray(String[]::new)), directory);
    }

    static String databaseUrl(Path directory) {
        return "jdbc:h2:file:" + directory.toAbsolutePath().resolve("db");
    }

    <T> T bean(Class<T> type) {
        return this.context.getBean(type);
    }

    HttpResponse<String> postEvent(String json) throws IOException, InterruptedException {
        return send(request("/events").header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path));
    }

    /**
     * A request to {@code path} on this application, for what {@link #postEvent} and {@link #get} do not cover.
     */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + this.context.getEnvironment().getProperty("local.server.port") + path));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The rows written, as {@code GET /events/count} answers.
     */
    long countEvents() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/events/count");
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).get("count").asLong();
    }

    /**
     * The rows in table {@code events}, read through a connection of the test's own: also once the application is
     * closed.
     */
    long rowsInDatabase() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(databaseUrl(this.directory), "sa", "");
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from events", Long.class);
    }

    static JsonNode json(HttpResponse<String> response) {
        return JsonMapper.shared().readTree(response.body());
    }

    /**
     * Closes the application and returns the report of its drops.
     */
    DropReport closeAndReport() {
        return ContextShutdown.closeAndReport(this.context);
    }

    @Override
    public void close() {
        this.context.close();
    }
}
