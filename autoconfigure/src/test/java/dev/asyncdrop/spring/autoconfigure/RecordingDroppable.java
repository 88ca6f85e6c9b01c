package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.asyncdrop.AsyncDroppable;

/** A droppable that records when its drop starts and ends, and takes a given time without blocking. */
class RecordingDroppable implements AsyncDroppable {

    private final String name;

    private final DropEvents events;

    private final Duration delay;

    private final AtomicInteger drops = new AtomicInteger();

    private final AtomicInteger timeouts = new AtomicInteger();

    RecordingDroppable(String name, DropEvents events) {
        this(name, events, Duration.ZERO);
    }

    RecordingDroppable(String name, DropEvents events, Duration delay) {
        this.name = name;
        this.events = events;
        this.delay = delay;
    }

    @Override
    public CompletionStage<Void> asyncDrop() {
        drops.incrementAndGet();
        events.add("start:" + name);
        return CompletableFuture.runAsync(() -> events.add("end:" + name),
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void onDropTimeout() {
        timeouts.incrementAndGet();
    }

    int drops() {
        return drops.get();
    }

    int timeouts() {
        return timeouts.get();
    }

    String name() {
        return name;
    }

    DropEvents events() {
        return events;
    }

    @Override
    public String toString() {
        return name;
    }
}
