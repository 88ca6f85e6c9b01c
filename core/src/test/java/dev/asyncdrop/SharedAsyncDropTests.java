package dev.asyncdrop;

import static dev.asyncdrop.AsyncDropGuardTests.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

class SharedAsyncDropTests {

    @Test
    void onlyTheLastHandlesDropDropsTheInnerResource() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> third = second.get().share();
        SharedAsyncDrop<RecordingResource> shared = first.get();
        assertThat(shared.refCount()).isEqualTo(3);
        assertThat(third.get().get()).isSameAs(resource);

        assertThat(first.asyncDrop().toCompletableFuture()).isCompletedWithValue(null);
        assertThat(third.asyncDrop().toCompletableFuture()).isCompletedWithValue(null);
        assertThat(resource.drops()).isZero();
        assertThat(shared.refCount()).isEqualTo(1);

        second.asyncDrop();
        assertThat(resource.drops()).isEqualTo(1);
        assertThat(shared.refCount()).isZero();
    }

    @Test
    void theLastHandlesStageCompletesWhenTheInnerDropDoes() {
        CompletableFuture<Void> innerDropped = new CompletableFuture<>();
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(
                AsyncDropGuard.of(RecordingResource.droppingWhen("a", innerDropped)));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();
        first.asyncDrop();

        CompletionStage<Void> last = second.asyncDrop();

        assertThat(last.toCompletableFuture()).isNotDone();
        IllegalStateException failure = new IllegalStateException("inner failed");
        innerDropped.completeExceptionally(failure);
        assertThat(failureOf(last)).isSameAs(failure);
    }

    @Test
    void droppingAHandleTwiceReleasesItsReferenceOnce() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();

        first.asyncDrop();
        first.asyncDrop();
        first.close();

        assertThat(second.get().refCount()).isEqualTo(1);
        assertThat(resource.drops()).isZero();
        second.close();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void shareIsRejectedOnceTheInnerDropBegan() {
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> only = SharedAsyncDrop.of(
                AsyncDropGuard.of(RecordingResource.droppingAtOnce("a")));
        SharedAsyncDrop<RecordingResource> shared = only.get();

        only.asyncDrop();

        assertThatIllegalStateException().isThrownBy(shared::share).withMessageContaining("every handle");
        assertThatIllegalStateException().isThrownBy(shared::get).withMessageContaining("every handle");
    }

    @Test
    void aDirectAsyncDropBeyondTheHandleCountFailsInsteadOfDroppingAgain() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> only = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
        SharedAsyncDrop<RecordingResource> shared = only.get();
        only.asyncDrop();

        assertThat(failureOf(shared.asyncDrop())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("More handle drops than handles");
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void ofRejectsAGuardThatCanNoLongerBeShared() {
        AsyncDropGuard<RecordingResource> dropped = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        dropped.asyncDrop();
        AsyncDropGuard<RecordingResource> disarmed = AsyncDropGuard.of(RecordingResource.droppingAtOnce("b"));
        disarmed.unsafeIntoInnerDontDrop();

        assertThatIllegalStateException().isThrownBy(() -> SharedAsyncDrop.of(dropped));
        assertThatIllegalStateException().isThrownBy(() -> SharedAsyncDrop.of(disarmed));
        assertThatThrownBy(() -> SharedAsyncDrop.of(null)).hasMessage("'inner' must not be null");
    }

    @Test
    void toStringShowsTheInnerGuardAndTheCount() {
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> only = SharedAsyncDrop.of(
                AsyncDropGuard.of(RecordingResource.droppingAtOnce("a")));
        assertThat(only.get()).hasToString(
                "SharedAsyncDrop[AsyncDropGuard[RecordingResource[a], armed], refCount=1]");
        only.close();
    }

    @Test
    void theSoleHandleUnwrapsToTheInnerGuardAndIsDisarmed() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> inner = AsyncDropGuard.of(resource);
        long liveBefore = LeakDetection.liveGuards();
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> only = SharedAsyncDrop.of(inner);
        SharedAsyncDrop<RecordingResource> shared = only.get();

        Optional<AsyncDropGuard<RecordingResource>> unwrapped = shared.tryUnwrap();

        assertThat(unwrapped).containsSame(inner);
        assertThat(inner.get()).isSameAs(resource);
        assertThat(resource.drops()).isZero();
        assertThat(only.isDropped()).isFalse();
        assertThatIllegalStateException().isThrownBy(only::asyncDrop).withMessageContaining("disarmed");
        assertThat(LeakDetection.liveGuards()).as("the handle no longer counts as live").isEqualTo(liveBefore);
        assertThat(shared.refCount()).isZero();
        assertThatIllegalStateException().isThrownBy(shared::share).withMessageContaining("tryUnwrap()");
        assertThatIllegalStateException().isThrownBy(shared::get).withMessageContaining("tryUnwrap()");
        inner.close();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void aHandleWithOthersAliveUnwrapsToNothingAndNothingChanges() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();

        assertThat(first.get().tryUnwrap()).isEmpty();
        assertThat(second.get().tryUnwrap()).isEmpty();

        assertThat(first.get().refCount()).isEqualTo(2);
        assertThat(first.get().get()).isSameAs(resource);
        first.close();
        second.close();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void theLastHandleLeftUnwrapsOnceTheOthersAreDropped() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();
        SharedAsyncDrop<RecordingResource> throughFirst = first.get();
        first.close();

        assertThatIllegalStateException().isThrownBy(throughFirst::tryUnwrap)
                .as("a dropped handle is not the last handle, even while the count is 1")
                .withMessageContaining("already been dropped");
        Optional<AsyncDropGuard<RecordingResource>> unwrapped = second.get().tryUnwrap();

        assertThat(unwrapped).isPresent();
        assertThat(resource.drops()).isZero();
        unwrapped.orElseThrow().close();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void eachHandleHasItsOwnViewOfOneSharedCount() {
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(
                AsyncDropGuard.of(RecordingResource.droppingAtOnce("a")));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();

        assertThat(first.get()).isNotSameAs(second.get());
        assertThat(first.get().get()).isSameAs(second.get().get());
        second.close();
        assertThat(first.get().refCount()).isEqualTo(1);
        first.close();
    }

    @Test
    void aHandleMovedToANewGuardUnwrapsThroughThatGuard() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> inner = AsyncDropGuard.of(resource);
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> original = SharedAsyncDrop.of(inner);
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> moved = original.unsafeMap(Function.identity());
        SharedAsyncDrop<RecordingResource> view = moved.get();

        Optional<AsyncDropGuard<RecordingResource>> unwrapped = view.tryUnwrap();

        assertThat(unwrapped).containsSame(inner);
        assertThat(moved.isDisarmed()).isTrue();
        assertThat(view.refCount()).isZero();
        inner.close();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void aHandleTakenOutOfItsGuardAndGuardedAgainUnwrapsThroughTheNewGuard() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();
        AsyncDropGuard<SharedAsyncDrop<RecordingResource>> again = AsyncDropGuard.of(first.unsafeIntoInnerDontDrop());

        assertThat(again.get().tryUnwrap()).as("second is still alive").isEmpty();
        second.close();
        Optional<AsyncDropGuard<RecordingResource>> unwrapped = again.get().tryUnwrap();

        assertThat(unwrapped).isPresent();
        assertThat(again.isDisarmed()).isTrue();
        unwrapped.orElseThrow().close();
        assertThat(resource.drops()).isEqualTo(1);
    }
}
