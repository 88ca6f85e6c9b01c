package dev.asyncdrop.test.readme;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncdrop.AsyncDroppable;

/** The pool of the README's "Testing your droppables", which its {@link Writer} writes to. */
final class Pool implements AsyncDroppable {

    private final List<String> rows = new CopyOnWriteArrayList<>();

    void insert(String row) {
        this.rows.add(row);
    }

    @Override
    public CompletionStage<Void> asyncDrop() {
        return CompletableFuture.completedFuture(null);
    }
}
