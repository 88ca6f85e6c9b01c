package dev.asyncdrop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A resource that counts its drops and drops however the test says. */
final class RecordingResource implements AsyncDroppable {

    private final String name;

    private final Supplier<CompletionStage<Void>> drop;

    private final AtomicInteger drops = new AtomicInteger();

    private RecordingResource(String name, Supplier<CompletionStage<Void>> drop) {
        this.name = name;
        this.drop = drop;
    }

    static RecordingResource droppingAtOnce(String name) {
        return new RecordingResource(name, () -> CompletableFuture.completedFuture(null));
    }

    static RecordingResource failingWith(String name, Throwable failure) {
        return new RecordingResource(name, () -> CompletableFuture.failedFuture(failure));
    }

    static RecordingResource droppingWith(String name, Supplier<CompletionStage<Void>> drop) {
        return new RecordingResource(name, drop);
    }

    /** Drops when the given future completes, and completes the same way. */
    static RecordingResource droppingWhen(String name, CompletableFuture<Void> done) {
        return new RecordingResource(name, () -> done.thenApply(ignored -> null));
    }

    @Override
    public CompletionStage<Void> asyncDrop() {
        this.drops.incrementAndGet();
        return this.drop.get();
    }

    int drops() {
        return this.drops.get();
    }

    @Override
    public String toString() {
        return "RecordingResource[" + this.name + "]";
    }
}
