package dev.asyncdrop.test.readme;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.asyncdrop.AsyncDroppable;

/**
 * What the README's "Droppables created at run time" opens: any droppable.
 * @param user whose session it is
 * @param dropped whether it was dropped
 */
record Session(String user, AtomicBoolean dropped) implements AsyncDroppable {

    Session(String user) {
        this(user, new AtomicBoolean());
    }

    @Override
    public CompletionStage<Void> asyncDrop() {
        this.dropped.set(true);
        return CompletableFuture.completedFuture(null);
    }
}
