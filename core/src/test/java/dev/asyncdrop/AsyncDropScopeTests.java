package dev.asyncdrop;

import static dev.asyncdrop.AsyncDropGuardTests.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

class AsyncDropScopeTests {

    @Test
    void aTrackedGuardLeavesTheScopeWhenDropped() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        RecordingResource resource = RecordingResource.droppingAtOnce("a");

        AsyncDropGuard<RecordingResource> guard = scope.track(resource);
        assertThat(scope.size()).isEqualTo(1);
        assertThat(guard.get()).isSameAs(resource);

        guard.close();
        assertThat(scope.size()).isZero();
        scopeGuard.close();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void aDisarmedGuardLeavesTheScopeAndIsNotDroppedByIt() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> guard = scope.track(resource);

        guard.unsafeIntoInnerDontDrop();
        assertThat(scope.size()).isZero();
        scopeGuard.close();

        assertThat(resource.drops()).isZero();
    }

    @Test
    void droppingTheScopeDropsEveryGuardStillOwnedConcurrentlyAndWaitsForAll() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        RecordingResource slowResource = RecordingResource.droppingWhen("slow", slow);
        RecordingResource fast = RecordingResource.droppingAtOnce("fast");
        AsyncDropGuard<RecordingResource> slowGuard = scope.track(slowResource);
        AsyncDropGuard<RecordingResource> fastGuard = scope.track(fast);

        CompletableFuture<Void> dropped = scopeGuard.asyncDrop().toCompletableFuture();

        assertThat(slowResource.drops()).isEqualTo(1);
        assertThat(fast.drops()).isEqualTo(1);
        assertThat(slowGuard.isDropped()).isTrue();
        assertThat(fastGuard.isDropped()).isTrue();
        assertThat(scope.size()).isZero();
        assertThat(dropped).isNotDone();
        slow.complete(null);
        assertThat(dropped).isCompletedWithValue(null);
    }

    @Test
    void aFailedDropFailsTheScopesDropWithTheFailureAsCause() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        IllegalStateException failure = new IllegalStateException("boom");
        scopeGuard.get().track(RecordingResource.failingWith("a", failure));

        assertThat(failureOf(scopeGuard.asyncDrop())).isInstanceOf(AsyncDropException.class).hasCause(failure);
    }

    @Test
    void whenSeveralDropsFailTheFirstIsTheCauseAndTheOthersAreSuppressedOnIt() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        IllegalStateException one = new IllegalStateException("one");
        IllegalStateException two = new IllegalStateException("two");
        RecordingResource fine = RecordingResource.droppingAtOnce("fine");
        scopeGuard.get().track(RecordingResource.failingWith("one", one));
        scopeGuard.get().track(fine);
        scopeGuard.get().track(RecordingResource.failingWith("two", two));

        Throwable cause = failureOf(scopeGuard.asyncDrop()).getCause();

        assertThat(cause).isIn(one, two);
        assertThat(cause.getSuppressed()).containsExactly(cause == one ? two : one);
        assertThat(fine.drops()).isEqualTo(1);
    }

    @Test
    void adoptMovesAGuardIntoTheScopeAndDisarmsTheOriginal() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> original = AsyncDropGuard.of(resource);

        AsyncDropGuard<RecordingResource> adopted = scopeGuard.get().adopt(original);

        assertThatIllegalStateException().isThrownBy(original::get).withMessageContaining("disarmed");
        assertThat(adopted.get()).isSameAs(resource);
        assertThat(scopeGuard.get().size()).isEqualTo(1);
        scopeGuard.close();
        assertThat(resource.drops()).isEqualTo(1);
        assertThat(adopted.isDropped()).isTrue();
    }

    @Test
    void trackAndAdoptAreRejectedOnceTheScopesDropHasBegun() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        scopeGuard.close();
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("b"));

        assertThatIllegalStateException().isThrownBy(() -> scope.track(resource))
                .withMessageContaining("Cannot track RecordingResource[a]").withMessageContaining("being dropped");
        assertThatIllegalStateException().isThrownBy(() -> scope.adopt(guard))
                .withMessageContaining("Cannot adopt");

        assertThat(guard.get()).as("a rejected guard is left untouched").isNotNull();
        assertThat(scope.size()).isZero();
        guard.close();
    }

    @Test
    void adoptRejectsAGuardThatIsAlreadyDropped() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropGuard<RecordingResource> dropped = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        dropped.close();

        assertThatIllegalStateException().isThrownBy(() -> scopeGuard.get().adopt(dropped));
        assertThat(scopeGuard.get().size()).isZero();
        assertThatThrownBy(() -> scopeGuard.get().track(null)).hasMessage("'resource' must not be null");
        assertThatThrownBy(() -> scopeGuard.get().adopt(null)).hasMessage("'guard' must not be null");
        scopeGuard.close();
    }

    @Test
    void aSecondDirectAsyncDropReturnsTheSameOutcome() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();

        assertThat(scope.asyncDrop()).isSameAs(scope.asyncDrop());
        assertThat(scope).hasToString("AsyncDropScope[size=0, dropping]");
        scopeGuard.close();
    }

    @Test
    void untrackTakesAResourceOutOfTheScopeAndHandsItsGuardToTheCaller() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        RecordingResource early = RecordingResource.droppingAtOnce("early");
        RecordingResource late = RecordingResource.droppingAtOnce("late");
        AsyncDropGuard<RecordingResource> tracked = scope.track(early);
        scope.track(late);

        Optional<AsyncDropGuard<RecordingResource>> untracked = scope.untrack(early);

        assertThat(untracked).get().isNotSameAs(tracked).extracting(AsyncDropGuard::get).isSameAs(early);
        assertThat(scope.size()).isEqualTo(1);
        assertThatIllegalStateException().as("the scope's guard is disarmed").isThrownBy(tracked::get);
        untracked.get().close();
        scopeGuard.close();
        assertThat(early.drops()).as("dropped by the caller, not again by the scope").isEqualTo(1);
        assertThat(late.drops()).isEqualTo(1);
    }

    @Test
    void untrackFindsNothingForAResourceTheScopeDoesNotOwn() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        RecordingResource dropped = RecordingResource.droppingAtOnce("dropped");
        RecordingResource twice = RecordingResource.droppingAtOnce("twice");
        scope.track(dropped).close();
        scope.track(twice);
        scope.untrack(twice).orElseThrow().close();

        assertThat(scope.untrack(RecordingResource.droppingAtOnce("stranger"))).isEmpty();
        assertThat(scope.untrack(dropped)).isEmpty();
        assertThat(scope.untrack(twice)).isEmpty();
        assertThatThrownBy(() -> scope.untrack(null)).hasMessage("'resource' must not be null");
        scopeGuard.close();
        assertThat(dropped.drops()).isEqualTo(1);
        assertThat(twice.drops()).isEqualTo(1);
    }

    @Test
    void untrackFindsNothingOnceTheScopesDropHasTakenTheResource() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        RecordingResource resource = RecordingResource.droppingWhen("slow", slow);
        scope.track(resource);

        CompletionStage<Void> scopeDrop = scopeGuard.asyncDrop();

        assertThat(scope.untrack(resource)).isEmpty();
        slow.complete(null);
        assertThat(scopeDrop.toCompletableFuture()).isCompleted();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void aResourceTrackedTwiceIsUntrackedOneGuardAtATime() {
        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        scope.track(resource);
        scope.track(resource);

        scope.untrack(resource).orElseThrow().unsafeIntoInnerDontDrop();

        assertThat(scope.size()).isEqualTo(1);
        scopeGuard.close();
        assertThat(resource.drops()).isEqualTo(1);
    }
}
