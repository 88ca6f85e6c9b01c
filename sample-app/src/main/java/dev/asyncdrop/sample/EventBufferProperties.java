package dev.asyncdrop.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Settings of the {@link EventBuffer}, prefix {@code sample.buffer}.
 * <p>
 * A mutable JavaBean for configuration binding: not thread-safe; the buffer copies what it needs when it starts.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("sample.buffer")
public class EventBufferProperties {

    /**
     * Maximum number of acknowledged events held in memory; when it is reached, POST /events answers 503.
     */
    private int capacity = 10_000;

    /**
     * Maximum number of events written in one JDBC batch, each batch in its own transaction.
     */
    private int batchSize = 500;

    /**
     * Time between the end of one flush and the start of the next.
     */
    private Duration flushInterval = Duration.ofMillis(200);

    /**
     * Extra time each batch takes before it commits, to simulate a database slower than the drop timeout.
     */
    private Duration flushDelay = Duration.ZERO;

    public int getCapacity() {
        return this.capacity;
    }

    public void setCapacity(int capacity) {
        Assert.isTrue(capacity > 0, () -> "'capacity' must be at least 1, was " + capacity);
        this.capacity = capacity;
    }

    public int getBatchSize() {
        return this.batchSize;
    }

    public void setBatchSize(int batchSize) {
        Assert.isTrue(batchSize > 0, () -> "'batchSize' must be at least 1, was " + batchSize);
        this.batchSize = batchSize;
    }

    public Duration getFlushInterval() {
        return this.flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        Assert.notNull(flushInterval, "'flushInterval' must not be null");
        Assert.isTrue(flushInterval.toMillis() > 0,
                () -> "'flushInterval' must be at least 1ms (for example 200ms), was " + flushInterval);
        this.flushInterval = flushInterval;
    }

    public Duration getFlushDelay() {
        return this.flushDelay;
    }

    public void setFlushDelay(Duration flushDelay) {
        Assert.notNull(flushDelay, "'flushDelay' must not be null");
        Assert.isTrue(!flushDelay.isNegative(), () -> "'flushDelay' must not be negative, was " + flushDelay);
        this.flushDelay = flushDelay;
    }
}
