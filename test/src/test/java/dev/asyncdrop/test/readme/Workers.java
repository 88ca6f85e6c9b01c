package dev.asyncdrop.test.readme;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.asyncdrop.AsyncDroppable;

// The README's "30 seconds" shows this class word for word, from its declaration on; ThirtySecondsTests runs it.
public final class Workers extends ThreadPoolExecutor implements AsyncDroppable {

    private final CompletableFuture<Void> termination = new CompletableFuture<>();

    public Workers(int threads) {
        super(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    public CompletionStage<Void> asyncDrop() {       // must not block: return a stage that completes later
        shutdown();                                  // queued tasks still run; new ones are refused
        return termination.copy();
    }

    @Override
    public void onDropTimeout() {                    // a coordinator gave up waiting: escalate
        shutdownNow();
    }

    @Override
    protected void terminated() {                    // called by the pool itself once its last thread has ended
        super.terminated();
        termination.complete(null);
    }
}
