package dev.asyncdrop.test.readme;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncdrop.AsyncDroppable;

/** The writer of the README's "Testing your droppables": its drop writes its buffer to the {@link Pool}. */
final class Writer implements AsyncDroppable {

    private final Pool pool;

    private final List<String> buffer = new CopyOnWriteArrayList<>();

    Writer(Pool pool) {
        this.pool = pool;
    }

    void write(String row) {
        this.buffer.add(row);
    }

    @Override
    public CompletionStage<Void> asyncDrop() {
        return CompletableFuture.runAsync(() -> this.buffer.forEach(this.pool::insert));
    }
}
