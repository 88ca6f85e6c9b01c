package dev.asyncdrop.sample;

import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.asyncdrop.sample.EventBuffer.Intake;

/**
 * The {@link EventBuffer}'s intake: the bounded queue of acknowledged events and the gate that closes it.
 * <p>
 * An offer checks that the gate is open and queues under the read lock; {@link #close()} takes the write lock. Once
 * it returns, no acknowledgement is half done, so what is acknowledged and not yet taken is exactly what is queued.
 * <p>
 * Thread-safe: offers from any number of threads; {@link #takeBatch} from one thread at a time.
 */
final class EventIntake {

    private final BlockingQueue<BufferedEvent> queue;

    private final ReadWriteLock gate = new ReentrantReadWriteLock();

    private boolean open = true;

    private final AtomicLong acknowledged = new AtomicLong();

    EventIntake(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    Intake offer(String payload) {
        Lock offer = this.gate.readLock();
        offer.lock();
        try {
            if (!this.open) {
                return Intake.CLOSED;
            }
            if (!this.queue.offer(new BufferedEvent(payload, Instant.now()))) {
                return Intake.FULL;
            }
            this.acknowledged.incrementAndGet();
            return Intake.ACCEPTED;
        }
        finally {
            offer.unlock();
        }
    }

    /**
     * Refuses every later offer; blocks at most for an offer in progress, which holds the read lock only while it
     * queues one event.
     */
    void close() {
        Lock close = this.gate.writeLock();
        close.lock();
        try {
            this.open = false;
        }
        finally {
            close.unlock();
        }
    }

    /**
     * Moves up to {@code maxEvents} of the oldest queued events to {@code batch}.
     */
    void takeBatch(Collection<BufferedEvent> batch, int maxEvents) {
        this.queue.drainTo(batch, maxEvents);
    }

    boolean isEmpty() {
        return this.queue.isEmpty();
    }

    int capacity() {
        return this.queue.size() + this.queue.remainingCapacity();
    }

    long acknowledgedCount() {
        return this.acknowledged.get();
    }

    /**
     * An acknowledged event, with the time it was acknowledged.
     */
    record BufferedEvent(String payload, Instant acceptedAt) {
    }
}
