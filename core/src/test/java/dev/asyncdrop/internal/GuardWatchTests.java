package dev.asyncdrop.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.LeakDetection.Level;
import dev.asyncdrop.internal.GuardWatch.WatchedGuard;

class GuardWatchTests {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Level originalLevel = LeakDetection.level();

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();

    private final Logger leakLogger = Logger.getLogger(LeakDetection.class.getName());

    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            GuardWatchTests.this.logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private boolean parentHandlers;

    @BeforeEach
    void captureLeakLog() {
        this.parentHandlers = this.leakLogger.getUseParentHandlers();
        this.leakLogger.setUseParentHandlers(false);
        this.leakLogger.addHandler(this.capture);
    }

    @AfterEach
    void restore() {
        this.leakLogger.removeHandler(this.capture);
        this.leakLogger.setUseParentHandlers(this.parentHandlers);
        LeakDetection.setLevel(this.originalLevel);
    }

    @Test
    void noWatchIsActiveUntilOneIsStartedAndNoneOnceItIsClosed() {
        assertThat(GuardWatch.active()).isFalse();
        GuardWatch watch = GuardWatch.start();
        assertThat(GuardWatch.active()).isTrue();
        watch.close();
        watch.close();
        assertThat(GuardWatch.active()).isFalse();
    }

    @Test
    void aWatchSeesEveryGuardCreatedWhileOpenWhateverTheLevelAndNoneAfter() {
        LeakDetection.setLevel(Level.DISABLED);
        AsyncDropGuard<Named> before = AsyncDropGuard.of(new Named("before"));
        GuardWatch watch = GuardWatch.start();
        AsyncDropGuard<Named> during = AsyncDropGuard.of(new Named("during"));
        watch.close();
        AsyncDropGuard<Named> after = AsyncDropGuard.of(new Named("after"));
        List<WatchedGuard> seen = watch.guards();

        assertThat(seen).singleElement().satisfies(guard -> {
            assertThat(guard.resourceType()).isEqualTo(Named.class);
            assertThat(guard.isDischarged()).isFalse();
            assertThat(guard.isCollected()).isFalse();
            assertThat(guard.leak()).isNull();
        });
        before.close();
        during.close();
        after.close();
        assertThat(seen.get(0).isDischarged()).isTrue();
    }

    @Test
    void aDisarmedGuardIsDischarged() {
        try (GuardWatch watch = GuardWatch.start()) {
            AsyncDropGuard.of(new Named("disarmed")).unsafeIntoInnerDontDrop();

            assertThat(watch.guards()).singleElement().satisfies(guard -> {
                assertThat(guard.isDischarged()).isTrue();
                assertThat(guard.toString()).contains("discharged");
            });
        }
    }

    @Test
    void aLeakedGuardIsCollectedThenReportedToTheWatchAfterTheLog() throws InterruptedException {
        WatchedGuard leaked;
        try (GuardWatch watch = GuardWatch.start()) {
            leak("forgotten");
            leaked = watch.guards().get(0);
            await().atMost(PATIENCE).until(() -> {
                System.gc();
                return leaked.isCollected();
            });
            assertThat(watch.awaitLeakBeyond(0, PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(watch.leaks()).isEqualTo(1);
        }
        assertThat(leaked.isDischarged()).isFalse();
        assertThat(leaked.leak()).isNotNull();
        assertThat(leaked.leak().description()).isEqualTo("Named[forgotten]");
        StackTraceElement[] stack = leaked.leak().creationStack().orElseThrow();
        assertThat(stack[0].getClassName()).isEqualTo(GuardWatchTests.class.getName());
        assertThat(stack[0].getMethodName()).as("the caller's frame, not the watch's").isEqualTo("leak");
        assertThat(leaked.toString()).contains("leaked");
        assertThat(this.logged).anySatisfy(record -> assertThat(record.getMessage()).contains("Named[forgotten]"));
    }

    @Test
    void waitingForALeakThatDoesNotComeEndsAtTheTimeout() throws InterruptedException {
        try (GuardWatch watch = GuardWatch.start()) {
            assertThat(watch.awaitLeakBeyond(0, 10, TimeUnit.MILLISECONDS)).isFalse();
        }
    }

    private static void leak(String name) {
        AsyncDropGuard.of(new Named(name));
    }

    private record Named(String name) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "Named[" + this.name + "]";
        }
    }
}
