package dev.asyncdrop.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import dev.asyncdrop.sample.EventBuffer.Intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The buffer against a real pool on an in-memory H2 database with the application's schema.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventBufferTests {

    private static final Duration GENEROUS = Duration.ofMinutes(1);

    private static final Pattern LOSS_REPORT = Pattern.compile("(\\d+) acknowledged events were NOT persisted");

    private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

    private final List<EventBuffer> buffers = new ArrayList<>();

    private HikariDataSource dataSource;

    private JdbcTemplate jdbc;

    @BeforeEach
    void createDatabase() {
        this.dataSource = new HikariDataSource();
        this.dataSource.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        this.dataSource.setUsername("sa");
        new ResourceDatabasePopulator(new ClassPathResource("schema.sql")).execute(this.dataSource);
        this.jdbc = new JdbcTemplate(this.dataSource);
        this.executor.setThreadNamePrefix("test-writer-");
        // Each buffer's writer task holds a thread for as long as the buffer runs.
        this.executor.setCorePoolSize(4);
        this.executor.initialize();
    }

    @AfterEach
    void dropDatabase() throws InterruptedException {
        // Ends every writer task, whatever the test left the buffer in, then the executor.
        this.buffers.forEach((buffer) -> assertThat(buffer.asyncDrop().toCompletableFuture().handle((ok, ex) -> ex))
            .succeedsWithin(GENEROUS));
        this.executor.getThreadPoolExecutor().shutdown();
        assertThat(this.executor.getThreadPoolExecutor().awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        this.jdbc.execute("shutdown");
        this.dataSource.close();
    }

    @Test
    void everyAcknowledgedEventIsPersistedOnceTheDropCompletes(CapturedOutput output) {
        EventBuffer buffer = start(properties(1000, 7, Duration.ofHours(1), Duration.ZERO));
        List<String> payloads = IntStream.range(0, 100).mapToObj((i) -> "event-" + i).toList();
        payloads.forEach((payload) -> assertThat(buffer.offer(payload)).isEqualTo(Intake.ACCEPTED));

        assertThat(buffer.asyncDrop().toCompletableFuture()).succeedsWithin(GENEROUS);

        assertThat(persistedPayloads()).containsExactlyInAnyOrderElementsOf(payloads);
        assertThat(buffer.persistedCount()).isEqualTo(100);
        assertThat(output).contains("Event buffer stopped intake: 100 acknowledged events still to write")
            .contains("wrote 100 events in 15 batch(es) after intake stopped; "
                    + "all 100 acknowledged events are persisted");
    }

    @Test
    void eventsAreWrittenInTheBackgroundBeforeAnyDrop() {
        EventBuffer buffer = start(properties(1000, 500, Duration.ofMillis(10), Duration.ZERO));

        assertThat(buffer.offer("early")).isEqualTo(Intake.ACCEPTED);

        await().atMost(GENEROUS).untilAsserted(() -> assertThat(persistedPayloads()).containsExactly("early"));
    }

    @Test
    void offersAfterTheDropStartedAreRefused() {
        EventBuffer buffer = start(properties(1000, 500, Duration.ofHours(1), Duration.ZERO));
        assertThat(buffer.offer("kept")).isEqualTo(Intake.ACCEPTED);

        CompletableFuture<Void> drop = buffer.asyncDrop().toCompletableFuture();

        assertThat(buffer.offer("too late")).isEqualTo(Intake.CLOSED);
        assertThat(drop).succeedsWithin(GENEROUS);
        assertThat(buffer.offer("much too late")).isEqualTo(Intake.CLOSED);
        assertThat(persistedPayloads()).containsExactly("kept");
        assertThat(buffer.acknowledgedCount()).isEqualTo(1);
    }

    @Test
    void aFullBufferRefusesEventsInsteadOfAcknowledgingThem() {
        EventBuffer buffer = start(properties(3, 500, Duration.ofHours(1), Duration.ZERO));
        List<Intake> answers = IntStream.range(0, 5).mapToObj((i) -> buffer.offer("event-" + i)).toList();

        assertThat(answers).containsExactly(Intake.ACCEPTED, Intake.ACCEPTED, Intake.ACCEPTED, Intake.FULL,
                Intake.FULL);
        assertThat(buffer.asyncDrop().toCompletableFuture()).succeedsWithin(GENEROUS);
        assertThat(persistedPayloads()).containsExactlyInAnyOrder("event-0", "event-1", "event-2");
    }

    @Test
    void theDropReturnsAtOnceWhileTheLastBatchIsStillBeingWritten(CapturedOutput output) {
        EventBuffer buffer = start(properties(1000, 500, Duration.ofHours(1), Duration.ofHours(1)));
        buffer.offer("slow");

        CompletableFuture<Void> drop = buffer.asyncDrop().toCompletableFuture();

        // The only batch cannot commit for an hour, so the stage can only be pending: the caller was not held.
        assertThat(drop).isNotDone();
        buffer.onDropTimeout();
        assertThat(drop).failsWithin(GENEROUS);
        assertThat(output).contains("Event buffer gave up: 1 acknowledged events were NOT persisted "
                + "(1 acknowledged, 0 persisted)");
    }

    @Test
    void aDropThatTimesOutReportsExactlyHowManyAcknowledgedEventsWereNotPersisted(CapturedOutput output) {
        // Five batches of a second each: the timeout comes after the first and long before the last.
        EventBuffer buffer = start(properties(1000, 10, Duration.ofHours(1), Duration.ofSeconds(1)));
        IntStream.range(0, 50).forEach((i) -> buffer.offer("event-" + i));
        CompletableFuture<Void> drop = buffer.asyncDrop().toCompletableFuture();
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(10)).until(() -> buffer.persistedCount() >= 10);

        buffer.onDropTimeout();

        assertThat(drop).failsWithin(GENEROUS)
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(EventsNotPersistedException.class);
        long lost = await().atMost(GENEROUS).until(() -> reportedLoss(output), (count) -> count >= 0);
        int rows = persistedPayloads().size();
        assertThat(rows).isEqualTo(buffer.persistedCount()).isBetween(10, 49);
        assertThat(rows + lost).isEqualTo(50);
        assertThat(output).contains("Event buffer drop timed out");
    }

    @Test
    void aDatabaseFailureDuringTheDropFailsItAndReportsTheLoss(CapturedOutput output) {
        EventBuffer buffer = start(properties(1000, 500, Duration.ofHours(1), Duration.ZERO));
        IntStream.range(0, 20).forEach((i) -> buffer.offer("event-" + i));
        this.jdbc.execute("drop table events");

        assertThat(buffer.asyncDrop().toCompletableFuture()).failsWithin(GENEROUS)
            .withThrowableOfType(ExecutionException.class)
            .havingCause()
            .isInstanceOf(EventsNotPersistedException.class)
            .withMessage("Gave up with 20 acknowledged events not persisted (20 acknowledged, 0 persisted)")
            .havingCause()
            .isInstanceOf(BadSqlGrammarException.class);
        assertThat(reportedLoss(output)).isEqualTo(20);
    }

    @Test
    void aTimeoutRacingTheLastCommitsReportsExactlyWhatIsMissing(CapturedOutput output) {
        int lossesReported = 0;
        for (int round = 0; round < 30; round++) {
            this.jdbc.update("delete from events");
            EventBuffer buffer = start(properties(1000, 16, Duration.ofHours(1), Duration.ZERO));
            String prefix = "round-" + round + "-";
            IntStream.range(0, 1000).forEach((i) -> buffer.offer(prefix + i));
            CompletableFuture<Void> drop = buffer.asyncDrop().toCompletableFuture();
            // Anywhere from before the first commit to after the last one.
            long giveUpAfter = ThreadLocalRandom.current().nextLong(0, 1_100);
            while (buffer.persistedCount() < giveUpAfter && !drop.isDone()) {
                Thread.onSpinWait();
            }

            buffer.onDropTimeout();

            await().atMost(GENEROUS).until(drop::isDone);
            int rows = persistedPayloads().size();
            if (drop.isCompletedExceptionally()) {
                EventsNotPersistedException loss = (EventsNotPersistedException) drop.handle((ignored, ex) -> ex)
                    .join()
                    .getCause();
                assertThat(loss.persisted()).isEqualTo(rows);
                assertThat(rows + loss.notPersisted()).isEqualTo(1000);
                lossesReported++;
            }
            else {
                assertThat(rows).isEqualTo(1000);
            }
            assertThat(buffer.persistedCount()).isEqualTo(rows);
        }
        assertThat(LOSS_REPORT.matcher(output.getOut()).results()).hasSize(lossesReported);
    }

    @Test
    void aBatchTheDatabaseRejectedIsWrittenAgainOnTheNextFlush(CapturedOutput output) {
        this.jdbc.execute("alter table events rename to events_offline");
        EventBuffer buffer = start(properties(1000, 500, Duration.ofMillis(20), Duration.ZERO));
        buffer.offer("retried");
        await().atMost(GENEROUS).until(() -> output.getOut().contains("could not write a batch of 1 events"));

        this.jdbc.execute("alter table events_offline rename to events");

        await().atMost(GENEROUS).untilAsserted(() -> assertThat(persistedPayloads()).containsExactly("retried"));
        assertThat(buffer.asyncDrop().toCompletableFuture()).succeedsWithin(GENEROUS);
        assertThat(persistedPayloads()).containsExactly("retried");
        assertThat(output).contains("Event buffer could not write a batch of 1 events, retrying in 20 ms")
            .contains("Table \"EVENTS\" not found");
    }

    @Test
    void offersRacingTheDropLoseNothingAndWriteNothingTwice() throws Exception {
        int clients = 8;
        int offersPerClient = 500;
        ExecutorService threads = Executors.newFixedThreadPool(clients + 1);
        try {
            for (int round = 0; round < 20; round++) {
                this.jdbc.update("delete from events");
                EventBuffer buffer = start(properties(clients * offersPerClient, 256, Duration.ofMillis(1),
                        Duration.ZERO));
                CyclicBarrier startLine = new CyclicBarrier(clients + 1);
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                List<Future<?>> senders = new ArrayList<>();
                for (int client = 0; client < clients; client++) {
                    String prefix = "round-" + round + "-client-" + client + "-";
                    senders.add(threads.submit(() -> {
                        startLine.await();
                        for (int i = 0; i < offersPerClient; i++) {
                            Intake answer = buffer.offer(prefix + i);
                            if (answer == Intake.CLOSED) {
                                break;
                            }
                            assertThat(answer).isEqualTo(Intake.ACCEPTED);
                            acknowledged.add(prefix + i);
                        }
                        return null;
                    }));
                }
                // Somewhere between before the first offer and the middle of the stream.
                long dropAfter = ThreadLocalRandom.current().nextLong(0, clients * offersPerClient / 2);
                Future<CompletableFuture<Void>> drop = threads.submit(() -> {
                    startLine.await();
                    while (buffer.acknowledgedCount() < dropAfter) {
                        Thread.yield();
                    }
                    return buffer.asyncDrop().toCompletableFuture();
                });

                assertThat(drop.get(1, TimeUnit.MINUTES)).succeedsWithin(GENEROUS);
                for (Future<?> sender : senders) {
                    sender.get(1, TimeUnit.MINUTES);
                }
                List<String> persisted = persistedPayloads();
                assertThat(persisted).doesNotHaveDuplicates();
                assertThat(persisted).containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(buffer.acknowledgedCount()).isEqualTo(acknowledged.size());
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aPayloadLongerThanTheLimitIsRefusedBeforeItIsAcknowledged() {
        EventBuffer buffer = start(properties(1000, 500, Duration.ofHours(1), Duration.ZERO));

        assertThatIllegalArgumentException().isThrownBy(() -> buffer.offer("x".repeat(1001)))
            .withMessage("'payload' must be at most 1000 characters (Unicode code points), was 1001");
        assertThat(buffer.offer("x".repeat(1000))).isEqualTo(Intake.ACCEPTED);
        assertThat(buffer.asyncDrop().toCompletableFuture()).succeedsWithin(GENEROUS);
        assertThat(persistedPayloads()).containsExactly("x".repeat(1000));
        assertThat(buffer.acknowledgedCount()).isOne();
    }

    @Test
    void thePayloadLimitCountsCharactersNotUtf16UnitsAndTheColumnHoldsThem() {
        EventBuffer buffer = start(properties(1000, 500, Duration.ofHours(1), Duration.ZERO));
        String emoji = "\uD83D\uDE00";

        assertThatIllegalArgumentException().isThrownBy(() -> buffer.offer(emoji.repeat(1001)))
            .withMessage("'payload' must be at most 1000 characters (Unicode code points), was 1001");
        assertThat(buffer.offer(emoji.repeat(1000))).isEqualTo(Intake.ACCEPTED);
        assertThat(buffer.asyncDrop().toCompletableFuture()).succeedsWithin(GENEROUS);
        assertThat(persistedPayloads()).containsExactly(emoji.repeat(1000));
    }

    @Test
    void settingsOutOfRangeAreRefusedWithTheirName() {
        EventBufferProperties properties = new EventBufferProperties();

        assertThatIllegalArgumentException().isThrownBy(() -> properties.setCapacity(0))
            .withMessage("'capacity' must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setBatchSize(-1))
            .withMessage("'batchSize' must be at least 1, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setFlushInterval(Duration.ZERO))
            .withMessage("'flushInterval' must be at least 1ms (for example 200ms), was PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> properties.setFlushDelay(Duration.ofSeconds(-1)))
            .withMessage("'flushDelay' must not be negative, was PT-1S");
    }

    private EventBuffer start(EventBufferProperties properties) {
        EventBuffer buffer = EventBuffer.start(this.dataSource, this.executor, properties);
        this.buffers.add(buffer);
        return buffer;
    }

    private static EventBufferProperties properties(int capacity, int batchSize, Duration flushInterval,
            Duration flushDelay) {
        EventBufferProperties properties = new EventBufferProperties();
        properties.setCapacity(capacity);
        properties.setBatchSize(batchSize);
        properties.setFlushInterval(flushInterval);
        properties.setFlushDelay(flushDelay);
        return properties;
    }

    private List<String> persistedPayloads() {
        return this.jdbc.queryForList("select payload from events", String.class);
    }

    private static long reportedLoss(CapturedOutput output) {
        Matcher matcher = LOSS_REPORT.matcher(output.getOut());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
