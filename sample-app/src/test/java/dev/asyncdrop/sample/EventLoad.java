package dev.asyncdrop.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client threads posting unique events as fast as the application answers, sorting each by its answer: acknowledged
 * (202), refused (503, or the connection was refused, so the request never reached the application), or in doubt
 * (the request may have reached the application but no answer came back).
 * <p>
 * Any other answer before the shutdown is unexpected. Once the shutdown has started, Tomcat may also answer a
 * request it was still reading with a 400 of its own while it closes connections: that is a refusal too, counted
 * by status.
 */
final class EventLoad {

    private final HttpClient client;

    private final URI events;

    private final List<Thread> threads = new ArrayList<>();

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();

    private final AtomicLong refused = new AtomicLong();

    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    private final Map<String, LongAdder> inDoubtCauses = new ConcurrentHashMap<>();

    private final Map<Integer, LongAdder> refusedDuringShutdown = new ConcurrentHashMap<>();

    private volatile boolean running = true;

    private volatile boolean shuttingDown;

    EventLoad(HttpClient client, URI events, int clients) {
        this.client = client;
        this.events = events;
        for (int i = 0; i < clients; i++) {
            String prefix = "client-" + i + "-event-";
            Thread thread = new Thread(() -> send(prefix), "event-load-" + i);
            thread.setDaemon(true);
            this.threads.add(thread);
        }
    }

    void start() {
        this.threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
        this.running = false;
        for (Thread thread : this.threads) {
            thread.join(Duration.ofMinutes(1).toMillis());
        }
    }

    /**
     * Marks the moment the application is asked to shut down: from then on, answers other than 202 are refusals.
     */
    void shutdownStarting() {
        this.shuttingDown = true;
    }

    int acknowledgedCount() {
        return this.acknowledged.size();
    }

    Set<String> acknowledged() {
        return this.acknowledged;
    }

    Set<String> inDoubt() {
        return this.inDoubt;
    }

    long refused() {
        return this.refused.get();
    }

    /**
     * Why answers were lost, with how many times each.
     */
    Map<String, Long> inDoubtCauses() {
        Map<String, Long> causes = new TreeMap<>();
        this.inDoubtCauses.forEach((cause, count) -> causes.put(cause, count.sum()));
        return causes;
    }

    /**
     * Answers other than 202 and 503 received during the shutdown, by status.
     */
    Map<Integer, Long> refusedDuringShutdown() {
        Map<Integer, Long> statuses = new TreeMap<>();
        this.refusedDuringShutdown.forEach((status, count) -> statuses.put(status, count.sum()));
        return statuses;
    }

    List<String> unexpected() {
        return List.copyOf(this.unexpected);
    }

    private void send(String prefix) {
        for (long sequence = 0; this.running; sequence++) {
            String payload = prefix + sequence;
            HttpRequest request = HttpRequest.newBuilder(this.events)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": \"" + payload + "\"}"))
                .build();
            try {
                HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 202) {
                    this.acknowledged.add(payload);
                    continue;
                }
                if (status == 503) {
                    this.refused.incrementAndGet();
                }
                else if (this.shuttingDown) {
                    this.refused.incrementAndGet();
                    this.refusedDuringShutdown.computeIfAbsent(status, (key) -> new LongAdder()).increment();
                }
                else {
                    this.unexpected.add(payload + " answered " + status + " " + response.body());
                }
            }
            catch (ConnectException ex) {
                this.refused.incrementAndGet();
            }
            catch (IOException ex) {
                this.inDoubt.add(payload);
                this.inDoubtCauses.computeIfAbsent(ex.toString(), (cause) -> new LongAdder()).increment();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            pause();
        }
    }

    // After a refusal, do not spin: the machine's cores are needed by the application shutting down.
    private static void pause() {
        try {
            Thread.sleep(10);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
