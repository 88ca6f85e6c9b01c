package dev.asyncdrop.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.internal.GuardWatch;

class LeakSweepTests {

    private static final AsyncDroppable RESOURCE = () -> CompletableFuture.completedFuture(null);

    private final List<AsyncDropGuard<?>> held = new CopyOnWriteArrayList<>();

    @AfterEach
    void dropHeldGuards() {
        this.held.forEach(AsyncDropGuard::close);
    }

    @Test
    void whenEveryGuardWasDroppedOrDisarmedNoCollectionIsNeeded() throws InterruptedException {
        AtomicInteger collections = new AtomicInteger();
        LeakSweep sweep = new LeakSweep(() -> collections.incrementAndGet() > 0, Duration.ofSeconds(10));
        GuardWatch watch = watchWhile(() -> {
            AsyncDropGuard.of(RESOURCE).close();
            AsyncDropGuard.of(RESOURCE).unsafeIntoInnerDontDrop();
        });

        assertThat(sweep.sweep(watch).isClean()).isTrue();
        assertThat(collections).hasValue(0);
    }

    @Test
    void aReachableGuardSettlesAfterOneCollection() throws InterruptedException {
        AtomicInteger collections = new AtomicInteger();
        LeakSweep sweep = new LeakSweep(() -> collections.incrementAndGet() > 0, Duration.ofSeconds(10));
        GuardWatch watch = watchWhile(() -> this.held.add(AsyncDropGuard.of(RESOURCE)));

        assertThat(sweep.sweep(watch).isClean()).isTrue();
        assertThat(collections).hasValue(1);
    }

    @Test
    void whenNoCollectionCanBeProvokedTheTestFailsSayingWhy() throws InterruptedException {
        LeakSweep sweep = new LeakSweep(() -> false, Duration.ofMillis(50));
        GuardWatch watch = watchWhile(() -> this.held.add(AsyncDropGuard.of(RESOURCE)));

        LeakSweep.Outcome outcome = sweep.sweep(watch);

        assertThat(outcome.isClean()).isFalse();
        assertThat(outcome.leaks()).isEmpty();
        assertThat(DetectLeaksExtension.LeakMessage.describe("opens()", LeakSweepTests.class.getName(), outcome,
                sweep.timeout()))
                .startsWith("opens() left 1 AsyncDropGuard undropped ([" + RESOURCE.getClass().getName() + "])")
                .contains("@DetectLeaks cannot tell whether they leaked: System.gc() ran no garbage collection "
                        + "within 0.05 s.")
                .endsWith("Remove -XX:+DisableExplicitGC from the options of the test JVM.");
    }

    @Test
    void aCollectionIsProvokedAndSeen() {
        assertThat(LeakSweep.collect()).isTrue();
    }

    private static GuardWatch watchWhile(Runnable test) {
        GuardWatch watch = GuardWatch.start();
        try {
            test.run();
        }
        finally {
            watch.close();
        }
        return watch;
    }
}
