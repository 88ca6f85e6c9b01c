package dev.asyncdrop.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged sample application running as a separate JVM on a free loopback port, its output in a log file.
 */
final class SampleAppProcess implements AutoCloseable {

    private final Process process;

    private final URI base;

    private final Path log;

    private SampleAppProcess(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts {@code jar} with its own H2 file database under {@code databaseDirectory}.
     */
    static SampleAppProcess start(Path jar, Path databaseDirectory, Path log, String... arguments)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No application jar at " + jar.toAbsolutePath()
                    + ": run the end-to-end tests through Maven ('mvn verify'), which packages it first");
        }
        int port = freeLoopbackPort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Keep the JVM small and its JIT cheap: the machine running the suite may have two busy cores.
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.add("--server.address=127.0.0.1");
        command.add("--server.port=" + port);
        command.add("--spring.datasource.url=jdbc:h2:file:" + databaseDirectory.toAbsolutePath().resolve("db"));
        command.add("--async-drop.report.directory=" + databaseDirectory.toAbsolutePath().resolve("shutdown-reports"));
        command.addAll(List.of(arguments));
        Files.createDirectories(log.getParent());
        // Started in the temporary directory, so that nothing it writes lands in the build.
        Process process = new ProcessBuilder(command).directory(databaseDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        return new SampleAppProcess(process, URI.create("http://127.0.0.1:" + port), log);
    }

    URI uri(String path) {
        return this.base.resolve(path);
    }

    /**
     * Waits until {@code /actuator/health} answers 200, failing at once if the process died.
     */
    void awaitReady(HttpClient client, Duration atMost) {
        HttpRequest health = HttpRequest.newBuilder(uri("/actuator/health")).timeout(Duration.ofSeconds(10)).build();
        await("the application answering " + health.uri()).atMost(atMost)
            .pollInterval(Duration.ofMillis(250))
            .ignoreExceptions()
            .failFast("the application exited during startup, see " + this.log, () -> !this.process.isAlive())
            .until(() -> client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * Asks the application to shut down: SIGTERM on Unix-like systems.
     */
    void terminate() {
        this.process.destroy();
    }

    boolean waitForExit(Duration atMost) throws InterruptedException {
        return this.process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    int exitValue() {
        return this.process.exitValue();
    }

    boolean supportsNormalTermination() {
        return this.process.supportsNormalTermination();
    }

    List<String> logLines() throws IOException {
        return Files.readAllLines(this.log, StandardCharsets.UTF_8);
    }

    Path log() {
        return this.log;
    }

    /**
     * The last {@code count} lines of the log under a header naming it, for a failed test's report.
     */
    String lastLines(int count) {
        StringBuilder text = new StringBuilder("---- last " + count + " lines of " + this.log + " ----\n");
        try {
            List<String> lines = logLines();
            lines.subList(Math.max(0, lines.size() - count), lines.size())
                .forEach((line) -> text.append(line).append('\n'));
        }
        catch (IOException ex) {
            text.append("(unreadable: ").append(ex).append(")\n");
        }
        return text.toString();
    }

    /**
     * Kills the process if a failed test left it running.
     */
    @Override
    public void close() {
        if (this.process.isAlive()) {
            try {
                this.process.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
