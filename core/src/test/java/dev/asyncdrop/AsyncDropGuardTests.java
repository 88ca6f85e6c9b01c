package dev.asyncdrop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.internal.CyclicFailure;
import dev.asyncdrop.internal.UnrenderableFailure;

class AsyncDropGuardTests {

    @Test
    void theFirstAsyncDropDropsTheResourceAndLaterCallsReturnTheSameOutcome() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);

        CompletionStage<Void> first = guard.asyncDrop();
        CompletionStage<Void> second = guard.asyncDrop();

        assertThat(resource.drops()).isEqualTo(1);
        assertThat(second).isSameAs(first);
        assertThat(first.toCompletableFuture()).isCompletedWithValue(null);
    }

    @Test
    void callersCannotCompleteOrObtrudeTheStageThatOthersSee() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWhen("a", done));
        CompletionStage<Void> stage = guard.asyncDrop();

        CompletableFuture<Void> future = stage.toCompletableFuture();
        assertThatThrownBy(() -> future.complete(null)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("copy()");
        assertThatThrownBy(() -> future.completeExceptionally(new IllegalStateException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> future.obtrudeValue(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> future.obtrudeException(new IllegalStateException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> future.orTimeout(1, TimeUnit.NANOSECONDS))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> future.completeOnTimeout(null, 1, TimeUnit.NANOSECONDS))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> future.completeAsync(() -> null)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(future.cancel(true)).isFalse();
        CompletableFuture<Void> copy = future.copy();
        assertThat(copy.complete(null)).isTrue();

        assertThat(guard.asyncDrop().toCompletableFuture()).isNotDone();
        IllegalStateException failure = new IllegalStateException("boom");
        done.completeExceptionally(failure);
        assertThat(guard.asyncDrop().toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class).withCause(failure);
    }

    @Test
    void getIsRejectedOnceTheDropHasStarted() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        assertThat(guard.get()).hasToString("RecordingResource[a]");
        assertThat(guard.isDropped()).isFalse();

        guard.asyncDrop();

        assertThat(guard.isDropped()).isTrue();
        assertThatIllegalStateException().isThrownBy(guard::get)
                .withMessageContaining("get()").withMessageContaining(RecordingResource.class.getName())
                .withMessageContaining("already been dropped");
    }

    @Test
    void aSynchronousThrowFromTheResourceBecomesAFailedStage() {
        IllegalArgumentException failure = new IllegalArgumentException("cannot drop");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWith("a", () -> {
            throw failure;
        }));

        CompletionStage<Void> stage = guard.asyncDrop();

        assertThat(failureOf(stage)).isSameAs(failure);
        assertThat(guard.isDropped()).isTrue();
    }

    @Test
    void aNullStageFromTheResourceBecomesAFailedStageThatSaysWhatToDo() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWith("a", () -> null));

        assertThat(failureOf(guard.asyncDrop())).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("asyncDrop() returned null").hasMessageContaining("completedFuture(null)");
    }

    @Test
    void anAsynchronousFailureReachesCallersUnwrapped() {
        IllegalStateException failure = new IllegalStateException("late failure");
        CountDownLatch release = new CountDownLatch(1);
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWith("a",
                () -> CompletableFuture.runAsync(() -> {
                    await(release);
                    throw failure;
                })));

        CompletionStage<Void> stage = guard.asyncDrop();
        release.countDown();

        assertThat(failureOf(stage)).isSameAs(failure);
    }

    @Test
    void aFailureWhoseCausesFormACycleFailsTheDropRatherThanHangingIt() throws Exception {
        CompletionException first = CyclicFailure.twoWrappersCausingEachOther("first");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWith("a",
                () -> CompletableFuture.failedFuture(first)));

        // On another thread: a walk that went round the cycle would never return.
        CompletionStage<Void> stage = CompletableFuture.supplyAsync(guard::asyncDrop).get(30, TimeUnit.SECONDS);

        assertThat(failureOf(stage)).isSameAs(first);
    }

    @Test
    void aResourceReturningAMinimalStageIsDroppedLikeAnyOther() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AsyncDropGuard<RecordingResource> pending = AsyncDropGuard.of(
                RecordingResource.droppingWith("pending", done::minimalCompletionStage));
        AsyncDropGuard<RecordingResource> completed = AsyncDropGuard.of(
                RecordingResource.droppingWith("completed", () -> CompletableFuture.completedStage(null)));

        assertThat(completed.asyncDrop().toCompletableFuture()).isCompletedWithValue(null);
        CompletionStage<Void> stage = pending.asyncDrop();
        assertThat(stage.toCompletableFuture()).isNotDone();
        done.complete(null);
        assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
    }

    @Test
    void disarmingHandsTheResourceOverAndRejectsEveryLaterUse() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);

        assertThat(guard.unsafeIntoInnerDontDrop()).isSameAs(resource);

        assertThat(guard.isDropped()).isFalse();
        assertThatIllegalStateException().isThrownBy(guard::get).withMessageContaining("disarmed");
        assertThatIllegalStateException().isThrownBy(guard::asyncDrop).withMessageContaining("disarmed");
        assertThatIllegalStateException().isThrownBy(guard::unsafeIntoInnerDontDrop)
                .withMessageContaining("disarmed");
        guard.close();
        assertThat(resource.drops()).isZero();
        assertThat(guard).hasToString("AsyncDropGuard[RecordingResource[a], disarmed]");
    }

    @Test
    void aDroppedGuardCannotBeDisarmed() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        guard.asyncDrop();

        assertThatIllegalStateException().isThrownBy(guard::unsafeIntoInnerDontDrop)
                .withMessageContaining("already been dropped");
    }

    @Test
    void unsafeMapMovesTheObligationToTheMappedResource() {
        RecordingResource inner = RecordingResource.droppingAtOnce("inner");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(inner);
        AsyncDropGuard<Wrapper> wrapped = guard.unsafeMap(Wrapper::new);

        assertThatIllegalStateException().isThrownBy(guard::get);
        assertThat(wrapped.get().inner).isSameAs(inner);

        wrapped.asyncDrop().toCompletableFuture().join();
        assertThat(inner.drops()).isEqualTo(1);
    }

    @Test
    void aMapperThatFailsLeavesTheGuardArmed() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));

        assertThatThrownBy(() -> guard.unsafeMap(resource -> {
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard.unsafeMap(resource -> null)).isInstanceOf(NullPointerException.class)
                .hasMessage("'mapper' must not return null");

        assertThat(guard.get()).hasToString("RecordingResource[a]");
        guard.close();
    }

    @Test
    void closeBlocksUntilTheDropHasFinished() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWhen("a", done));
        CompletableFuture<Void> closed = CompletableFuture.runAsync(guard::close);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(guard::isDropped);
        assertThat(closed).isNotDone();
        done.complete(null);

        closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void closeRethrowsAFailedDropAsAsyncDropExceptionWithTheCause() {
        IllegalStateException failure = new IllegalStateException("boom");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.failingWith("a", failure));

        assertThatThrownBy(guard::close).isInstanceOf(AsyncDropException.class).hasCause(failure)
                .hasMessageContaining(RecordingResource.class.getName());
        assertThatThrownBy(guard::close).isInstanceOf(AsyncDropException.class).hasCause(failure);
    }

    @Test
    void closeRethrowsAFailureThatCannotRenderItselfWithAMessageThatNamesIt() {
        UnrenderableFailure failure = new UnrenderableFailure();
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.failingWith("a", failure));

        assertThatThrownBy(guard::close).isInstanceOf(AsyncDropException.class).hasCause(failure)
                .hasMessageContaining(UnrenderableFailure.description());
    }

    @Test
    void closeInterruptedWhileWaitingRestoresTheInterruptFlagAndLeavesTheDropRunning() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        RecordingResource resource = RecordingResource.droppingWhen("a", done);
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                guard.close();
            }
            catch (Throwable ex) {
                thrown.set(ex);
            }
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        closer.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(guard::isDropped);

        closer.interrupt();
        closer.join(10_000);

        assertThat(thrown.get()).isInstanceOf(AsyncDropException.class).hasMessageContaining("Interrupted")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(interruptedAfter.get()).isTrue();
        assertThat(guard.asyncDrop().toCompletableFuture()).isNotDone();
        done.complete(null);
        assertThat(guard.asyncDrop().toCompletableFuture()).succeedsWithin(Duration.ofSeconds(5));
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void toStringNamesTheResourceAndTheState() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingWhen("a", done));
        assertThat(guard).hasToString("AsyncDropGuard[RecordingResource[a], armed]");
        guard.asyncDrop();
        assertThat(guard).hasToString("AsyncDropGuard[RecordingResource[a], dropping]");
        done.complete(null);
        assertThat(guard).hasToString("AsyncDropGuard[RecordingResource[a], dropped]");

        AsyncDropGuard<RecordingResource> failed = AsyncDropGuard.of(RecordingResource.failingWith("b",
                new IllegalStateException()));
        failed.asyncDrop();
        assertThat(failed).hasToString("AsyncDropGuard[RecordingResource[b], drop failed]");
    }

    @Test
    void everyGuardDropIsReportedOnceToDropListenersWithItsFailure() {
        List<Object[]> observed = new CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("boom");
        GuardDropListener listener = (type, duration, error) -> observed.add(new Object[] { type, duration, error });
        GuardDrops.addListener(listener);
        try {
            AsyncDropGuard<RecordingResource> ok = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
            ok.asyncDrop();
            ok.asyncDrop();
            AsyncDropGuard.of(RecordingResource.failingWith("b", failure)).asyncDrop();
        }
        finally {
            GuardDrops.removeListener(listener);
        }
        AsyncDropGuard.of(RecordingResource.droppingAtOnce("unobserved")).asyncDrop();

        assertThat(observed).hasSize(2);
        assertThat(observed.get(0)[0]).isEqualTo(RecordingResource.class);
        assertThat(((Duration) observed.get(0)[1]).isNegative()).isFalse();
        assertThat(observed.get(0)[2]).isNull();
        assertThat(observed.get(1)[2]).isSameAs(failure);
    }

    @Test
    void aDropListenerThatThrowsAnErrorNeitherHangsNorFailsTheDrop() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        GuardDropListener throwing = (type, duration, error) -> {
            throw new AssertionError("listener broke");
        };
        GuardDrops.addListener(throwing);
        try {
            CompletionStage<Void> drop = guard.asyncDrop();
            assertThat(drop.toCompletableFuture()).succeedsWithin(Duration.ofSeconds(10));
        }
        finally {
            GuardDrops.removeListener(throwing);
        }
    }

    @Test
    void dropListenersAreAddedAndRemovedLikeLeakListeners() {
        List<Class<?>> heard = new CopyOnWriteArrayList<>();
        GuardDropListener listener = (type, duration, error) -> heard.add(type);
        GuardDrops.addListener(listener);
        GuardDrops.removeListener(listener);
        GuardDrops.removeListener(listener);

        AsyncDropGuard.of(RecordingResource.droppingAtOnce("a")).asyncDrop();

        assertThat(heard).isEmpty();
        assertThatThrownBy(() -> GuardDrops.addListener(null)).hasMessage("'listener' must not be null");
        assertThatThrownBy(() -> GuardDrops.removeListener(null)).hasMessage("'listener' must not be null");
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> AsyncDropGuard.of(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("'resource' must not be null");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        assertThatThrownBy(() -> guard.unsafeMap(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("'mapper' must not be null");
        guard.close();
    }

    static Throwable failureOf(CompletionStage<?> stage) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        stage.whenComplete((ignored, ex) -> {
            failure.set(ex);
            done.countDown();
        });
        await(done);
        return failure.get();
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for a latch");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    static final class Wrapper implements AsyncDroppable {

        final RecordingResource inner;

        Wrapper(RecordingResource inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return this.inner.asyncDrop();
        }
    }
}
