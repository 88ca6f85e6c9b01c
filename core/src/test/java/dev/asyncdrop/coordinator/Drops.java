package dev.asyncdrop.coordinator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.asyncdrop.AsyncDroppable;

/** Test resources that record when their drops start and finish, on one sequence shared by a test. */
final class Drops {

    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Long> finished = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> dropCalls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> timeoutCalls = new ConcurrentHashMap<>();
    final List<String> startOrder = new CopyOnWriteArrayList<>();

    /** A resource whose drop completes at once. */
    AsyncDroppable instant(String name) {
        return resource(name, () -> CompletableFuture.completedFuture(null));
    }

    /** A resource whose drop completes after a delay, on another thread. */
    AsyncDroppable delayed(String name, long millis) {
        return resource(name, () -> CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS)));
    }

    /** A resource whose drop never completes. */
    AsyncDroppable hanging(String name) {
        return resource(name, CompletableFuture::new);
    }

    /** A resource that blocks inside asyncDrop() itself until the latch opens. */
    AsyncDroppable blockingInCall(String name, CountDownLatch release) {
        return resource(name, () -> {
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** A resource whose drop is the given stage, recorded as finished when that stage completes. */
    AsyncDroppable resource(String name, Supplier<CompletionStage<Void>> drop) {
        dropCalls.put(name, new AtomicInteger());
        timeoutCalls.put(name, new AtomicInteger());
        return new AsyncDroppable() {
            @Override
            public CompletionStage<Void> asyncDrop() {
                started.put(name, sequence.incrementAndGet());
                startOrder.add(name);
                dropCalls.get(name).incrementAndGet();
                CompletionStage<Void> stage = drop.get();
                if (stage == null) {
                    finished.put(name, sequence.incrementAndGet());
                    return null;
                }
                return stage.whenComplete((ignored, failure) -> finished.put(name, sequence.incrementAndGet()));
            }

            @Override
            public void onDropTimeout() {
                timeoutCalls.get(name).incrementAndGet();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    Long started(String name) {
        return started.get(name);
    }

    Long finished(String name) {
        return finished.get(name);
    }

    int dropCalls(String name) {
        return dropCalls.get(name).get();
    }

    int timeoutCalls(String name) {
        return timeoutCalls.get(name).get();
    }
}
