package dev.asyncdrop.sample;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.util.Assert;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.sample.EventIntake.BufferedEvent;

/**
 * A write-behind buffer: {@link #offer(String) acknowledges} events as soon as they are held in memory and writes them
 * to table {@code events} in batches, one transaction per batch, through a connection pool. One task on an executor
 * (Spring Boot's {@code applicationTaskExecutor} in the application) is its only writer: it flushes every
 * {@code flush-interval} for as long as the buffer runs, and once more, to the last event, when the buffer is dropped.
 * <p>
 * The promise is "acknowledged means persisted". Its drop stops intake, writes every event it acknowledged and
 * completes when the last batch is committed; it never blocks the caller, the writer task completes the stage.
 * Should a coordinator give up waiting ({@link #onDropTimeout()}), or the database fail during the drop, the buffer
 * stops writing, logs at ERROR exactly how many acknowledged events were not persisted, and fails its drop with an
 * {@link EventsNotPersistedException} carrying the counts.
 * <p>
 * Thread-safe: {@link #offer(String)} may be called from any number of threads, concurrently with the drop.
 *
 * @since 0.1.0
 */
public final class EventBuffer implements AsyncDroppable {

    /**
     * The longest payload accepted, in characters (Unicode code points, so an emoji counts as one). Column
     * {@code events.payload} holds twice as many UTF-16 units, which is how H2 counts, so whatever is accepted fits;
     * longer payloads are refused at intake because a batch the database rejects would lose acknowledged events.
     */
    public static final int MAX_PAYLOAD_LENGTH = 1000;

    private static final Logger logger = LoggerFactory.getLogger(EventBuffer.class);

    private static final String INSERT = "insert into events (payload, created_at) values (?, ?)";

    // Once the drop has closed it, what is acknowledged and not persisted is exactly what is left to write.
    private final EventIntake intake;

    private final int batchSize;

    private final Duration flushInterval;

    private final Duration flushDelay;

    private final JdbcTemplate jdbc;

    private final PlatformTransactionManager transactions;

    private final AtomicLong persisted = new AtomicLong();

    private final AtomicLong batches = new AtomicLong();

    // A commit and giving up exclude each other: after giving up nothing more commits, so the loss reported is exact.
    private final Lock commitLock = new ReentrantLock();

    private volatile boolean abandoned;

    private volatile @Nullable Throwable giveUpCause;

    private final AtomicBoolean lossReported = new AtomicBoolean();

    // Ends a simulated slow batch at once when the buffer gives up (interrupting a thread inside H2 could close it).
    private final CountDownLatch abandonSignal = new CountDownLatch(1);

    private final AtomicBoolean dropStarted = new AtomicBoolean();

    // Wakes the writer task for its last flush.
    private final CountDownLatch dropSignal = new CountDownLatch(1);

    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private volatile long persistedAtDrop;

    private volatile long batchesAtDrop;

    // Writer task only: a batch taken from the queue and not yet committed, written again before anything else.
    private List<BufferedEvent> unwritten = List.of();

    private EventBuffer(DataSource pool, EventBufferProperties properties) {
        this.intake = new EventIntake(properties.getCapacity());
        this.batchSize = properties.getBatchSize();
        this.flushInterval = properties.getFlushInterval();
        this.flushDelay = properties.getFlushDelay();
        this.jdbc = new JdbcTemplate(pool);
        this.transactions = new DataSourceTransactionManager(pool);
    }

    /**
     * Creates a buffer and starts its writer task, which flushes it every {@code flush-interval}.
     * @param pool the pool the batches are written through
     * @param executor the executor that runs the writer task, for as long as the buffer runs
     * @param properties capacity, batch size and timing
     * @return the running buffer
     */
    public static EventBuffer start(DataSource pool, Executor executor, EventBufferProperties properties) {
        Assert.notNull(pool, "'pool' must not be null");
        Assert.notNull(executor, "'executor' must not be null");
        Assert.notNull(properties, "'properties' must not be null");
        EventBuffer buffer = new EventBuffer(pool, properties);
        executor.execute(buffer::flushUntilDropped);
        logger.info("Event buffer started: capacity {}, batches of up to {} every {} ms{}", properties.getCapacity(),
                buffer.batchSize, buffer.flushInterval.toMillis(),
                buffer.flushDelay.isZero() ? "" : ", each batch slowed by " + buffer.flushDelay.toMillis() + " ms");
        return buffer;
    }

    /**
     * Buffers an event. Only {@link Intake#ACCEPTED} is an acknowledgement: the event will be written, or its loss
     * reported.
     * @param payload the event's payload, at most {@link #MAX_PAYLOAD_LENGTH} characters (code points)
     * @return whether the event was buffered, and if not, why
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_PAYLOAD_LENGTH}
     */
    public Intake offer(String payload) {
        Assert.notNull(payload, "'payload' must not be null");
        int characters = payload.codePointCount(0, payload.length());
        Assert.isTrue(characters <= MAX_PAYLOAD_LENGTH, () -> "'payload' must be at most " + MAX_PAYLOAD_LENGTH
                + " characters (Unicode code points), was " + characters);
        return this.intake.offer(payload);
    }

    /**
     * The most events the buffer holds in memory before it answers {@link Intake#FULL}.
     * @return the buffer's capacity
     */
    public int capacity() {
        return this.intake.capacity();
    }

    /**
     * The number of events acknowledged so far.
     * @return the count of {@link Intake#ACCEPTED} answers
     */
    public long acknowledgedCount() {
        return this.intake.acknowledgedCount();
    }

    /**
     * The number of events committed to the database so far.
     * @return the count of committed events
     */
    public long persistedCount() {
        return this.persisted.get();
    }

    /**
     * Stops intake (later offers answer {@link Intake#CLOSED}) and writes every acknowledged event.
     * @return a stage the writer task completes once the last batch is committed; it fails with an
     * {@link EventsNotPersistedException} if the buffer gave up before
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        if (this.dropStarted.compareAndSet(false, true)) {
            this.intake.close();
            this.persistedAtDrop = this.persisted.get();
            this.batchesAtDrop = this.batches.get();
            logger.info("Event buffer stopped intake: {} acknowledged events still to write",
                    this.intake.acknowledgedCount() - this.persistedAtDrop);
            // The writer task finishes a flush in progress, if any, then writes what is left.
            this.dropSignal.countDown();
        }
        return this.drained.copy();
    }

    /**
     * Gives up: stops writing (a batch not yet committed is rolled back) and reports how many acknowledged events
     * were not persisted. Blocks at most for an {@code offer} already in progress, which holds the intake lock only
     * while it queues one event.
     */
    @Override
    public void onDropTimeout() {
        this.intake.close();
        logger.warn("Event buffer drop timed out: giving up on the events not yet written");
        giveUp(null);
    }

    // The writer task: sleeps a flush interval, flushes, and again, until the drop wakes it for its last flush.
    private void flushUntilDropped() {
        try {
            while (!this.dropSignal.await(this.flushInterval.toNanos(), TimeUnit.NANOSECONDS)) {
                flushPeriodically();
            }
        }
        catch (InterruptedException ex) {
            // The executor is shutting down now, without the buffer's drop: take no more events, and let
            // finishFlushing() report what it cannot write.
            this.intake.close();
            Thread.currentThread().interrupt();
        }
        finishFlushing();
    }

    private void flushPeriodically() {
        try {
            flushQueued();
        }
        catch (RuntimeException ex) {
            // A failed batch stays in 'unwritten' and is written again on the next run.
            logger.warn("Event buffer could not write a batch of {} events, retrying in {} ms", this.unwritten.size(),
                    this.flushInterval.toMillis(), ex);
        }
    }

    private void finishFlushing() {
        try {
            flushQueued();
        }
        catch (RuntimeException ex) {
            giveUp(ex);
            return;
        }
        if (this.abandoned) {
            return;
        }
        if (!this.unwritten.isEmpty() || !this.intake.isEmpty()) {
            giveUp(new IllegalStateException("The writer task was interrupted before it wrote every event"));
            return;
        }
        long total = this.persisted.get();
        logger.info("Event buffer drained: wrote {} events in {} batch(es) after intake stopped; "
                + "all {} acknowledged events are persisted", total - this.persistedAtDrop,
                this.batches.get() - this.batchesAtDrop, this.intake.acknowledgedCount());
        this.drained.complete(null);
    }

    // Writer task only.
    private void flushQueued() {
        while (!this.abandoned && !Thread.currentThread().isInterrupted()) {
            if (this.unwritten.isEmpty()) {
                List<BufferedEvent> batch = new ArrayList<>(this.batchSize);
                this.intake.takeBatch(batch, this.batchSize);
                if (batch.isEmpty()) {
                    return;
                }
                this.unwritten = batch;
            }
            if (write(this.unwritten)) {
                this.unwritten = List.of();
            }
        }
    }

    private boolean write(List<BufferedEvent> batch) {
        TransactionStatus transaction = this.transactions.getTransaction(TransactionDefinition.withDefaults());
        boolean committed = false;
        try {
            this.jdbc.batchUpdate(INSERT, batch, batch.size(), (statement, event) -> {
                statement.setString(1, event.payload());
                statement.setTimestamp(2, Timestamp.from(event.acceptedAt()));
            });
            simulateSlowDatabase();
            this.commitLock.lock();
            try {
                if (!this.abandoned) {
                    this.transactions.commit(transaction);
                    committed = true;
                    this.persisted.addAndGet(batch.size());
                    this.batches.incrementAndGet();
                }
            }
            finally {
                this.commitLock.unlock();
            }
        }
        finally {
            if (!transaction.isCompleted()) {
                this.transactions.rollback(transaction);
            }
        }
        if (this.abandoned) {
            // The buffer gave up while this batch was committing and left the report to us.
            reportLoss();
        }
        return committed;
    }

    private void simulateSlowDatabase() {
        if (this.flushDelay.isZero()) {
            return;
        }
        try {
            this.abandonSignal.await(this.flushDelay.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing a batch; it is rolled back", ex);
        }
    }

    private void giveUp(@Nullable Throwable cause) {
        this.giveUpCause = cause;
        this.abandoned = true;
        this.abandonSignal.countDown();
        reportLoss();
    }

    // Whoever finds the count final reports it, once: in the log, and as the outcome of the drop.
    private void reportLoss() {
        // If a commit holds the lock, its thread reports once it is done (see write): the count is not final yet.
        if (!this.commitLock.tryLock()) {
            return;
        }
        try {
            if (!this.lossReported.compareAndSet(false, true)) {
                return;
            }
            long acknowledgedEvents = this.intake.acknowledgedCount();
            long persistedEvents = this.persisted.get();
            if (acknowledgedEvents > persistedEvents) {
                logger.error("Event buffer gave up: {} acknowledged events were NOT persisted "
                        + "({} acknowledged, {} persisted)", acknowledgedEvents - persistedEvents, acknowledgedEvents,
                        persistedEvents);
                this.drained.completeExceptionally(
                        new EventsNotPersistedException(acknowledgedEvents, persistedEvents, this.giveUpCause));
            }
            else {
                logger.info("Event buffer gave up after every acknowledged event was persisted ({})",
                        persistedEvents);
                this.drained.complete(null);
            }
        }
        finally {
            this.commitLock.unlock();
        }
    }

    /**
     * The answer to {@link EventBuffer#offer(String)}.
     *
     * @since 0.1.0
     */
    public enum Intake {

        /**
         * The event is buffered and will be written: an acknowledgement.
         */
        ACCEPTED,

        /**
         * The buffer holds as many events as it may; the event was not buffered.
         */
        FULL,

        /**
         * The buffer is being dropped and takes no more events; the event was not buffered.
         */
        CLOSED

    }
}
