package dev.asyncdrop;

import static dev.asyncdrop.AsyncDropGuardTests.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AsyncDropTests {

    @RegisterExtension
    final LogCapture logs = LogCapture.of(AsyncDrop.class);

    @Test
    void usingDropsTheGuardOnlyAfterTheBodyHasCompletedAndResultsAfterTheDrop() {
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        RecordingResource resource = RecordingResource.droppingWhen("a", dropped);
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
        CompletableFuture<String> body = new CompletableFuture<>();

        CompletableFuture<String> result = AsyncDrop.using(guard, r -> body);

        assertThat(resource.drops()).isZero();
        body.complete("value");
        assertThat(resource.drops()).isEqualTo(1);
        assertThat(result).isNotDone();
        dropped.complete(null);
        assertThat(result).isCompletedWithValue("value");
    }

    @Test
    void usingPassesTheResourceToTheBody() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");

        CompletableFuture<String> result = AsyncDrop.using(AsyncDropGuard.of(resource),
                r -> CompletableFuture.completedFuture(r.toString()));

        assertThat(result).isCompletedWithValue("RecordingResource[a]");
    }

    @Test
    void usingDropsTheGuardWhenTheBodysStageFailsAndReportsTheBodysOwnException() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        IllegalStateException failure = new IllegalStateException("body failed");

        CompletableFuture<Object> result = AsyncDrop.using(AsyncDropGuard.of(resource),
                r -> CompletableFuture.supplyAsync(() -> {
                    throw failure;
                }));

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).isEmpty();
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void usingDropsTheGuardWhenTheBodyThrowsSynchronously() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        IllegalArgumentException failure = new IllegalArgumentException("thrown");

        CompletableFuture<Object> result = AsyncDrop.using(AsyncDropGuard.of(resource), r -> {
            throw failure;
        });

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void usingDropsTheGuardWhenTheBodyReturnsNull() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");

        CompletableFuture<Object> result = AsyncDrop.using(AsyncDropGuard.of(resource), r -> null);

        assertThat(failureOf(result)).isInstanceOf(NullPointerException.class).hasMessageContaining("body");
        assertThat(resource.drops()).isEqualTo(1);
    }

    @Test
    void cancellingTheResultCancelsTheBodysStageAndDropsTheGuard() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletableFuture<String> result = AsyncDrop.using(AsyncDropGuard.of(resource), r -> body);

        assertThat(result.cancel(true)).isTrue();

        assertThat(body).isCancelled();
        assertThat(resource.drops()).isEqualTo(1);
        assertThat(result).isCancelled();
    }

    @Test
    void cancellingTheResultNeverDropsTheResourceWhileABodyThatIgnoresCancellationStillRuns() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = AsyncDrop.using(AsyncDropGuard.of(resource),
                r -> work.minimalCompletionStage());

        result.cancel(true);

        assertThat(resource.drops()).isZero();
        work.complete("late");
        assertThat(resource.drops()).isEqualTo(1);
        assertThat(result).isCancelled();
    }

    @Test
    void aDropFailureAfterCancellationIsLoggedBecauseNobodyElseCanSeeIt() {
        IllegalStateException dropFailure = new IllegalStateException("drop failed");
        CompletableFuture<String> body = new CompletableFuture<>();
        CompletableFuture<String> result = AsyncDrop.using(
                AsyncDropGuard.of(RecordingResource.failingWith("a", dropFailure)), r -> body);

        result.cancel(true);

        assertThat(logs.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("cancelled");
            assertThat(record.getThrown()).isInstanceOf(CancellationException.class);
            assertThat(record.getThrown().getSuppressed()).containsExactly(dropFailure);
        });
    }

    @Test
    void whenTheBodyAndTheDropFailTheBodysErrorIsTheResultWithTheDropErrorSuppressed() {
        IllegalStateException dropFailure = new IllegalStateException("drop failed");
        IllegalArgumentException bodyFailure = new IllegalArgumentException("body failed");

        CompletableFuture<Object> result = AsyncDrop.using(
                AsyncDropGuard.of(RecordingResource.failingWith("a", dropFailure)),
                r -> CompletableFuture.failedFuture(bodyFailure));

        assertThat(failureOf(result)).isSameAs(bodyFailure);
        assertThat(bodyFailure.getSuppressed()).containsExactly(dropFailure);
    }

    @Test
    void whenOnlyTheDropFailsTheResultIsAnAsyncDropExceptionCausedByIt() {
        IllegalStateException dropFailure = new IllegalStateException("drop failed");

        CompletableFuture<String> result = AsyncDrop.using(
                AsyncDropGuard.of(RecordingResource.failingWith("a", dropFailure)),
                r -> CompletableFuture.completedFuture("value"));

        assertThat(failureOf(result)).isInstanceOf(AsyncDropException.class).hasCause(dropFailure);
    }

    @Test
    void usingAGuardThatIsAlreadyDroppedFailsWithoutRunningTheBody() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        guard.asyncDrop();
        AtomicBoolean ran = new AtomicBoolean();

        CompletableFuture<Object> result = AsyncDrop.using(guard, r -> {
            ran.set(true);
            return CompletableFuture.completedFuture(null);
        });

        assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already been dropped");
        assertThat(ran).isFalse();
    }

    @Test
    void usingTwoGuardsDropsBothConcurrentlyAndWaitsForBoth() {
        CompletableFuture<Void> aDropped = new CompletableFuture<>();
        CompletableFuture<Void> bDropped = new CompletableFuture<>();
        RecordingResource a = RecordingResource.droppingWhen("a", aDropped);
        RecordingResource b = RecordingResource.droppingWhen("b", bDropped);

        CompletableFuture<String> result = AsyncDrop.using(AsyncDropGuard.of(a), AsyncDropGuard.of(b),
                (first, second) -> CompletableFuture.completedFuture(first + "+" + second));

        assertThat(a.drops()).isEqualTo(1);
        assertThat(b.drops()).isEqualTo(1);
        bDropped.complete(null);
        assertThat(result).isNotDone();
        aDropped.complete(null);
        assertThat(result).isCompletedWithValue("RecordingResource[a]+RecordingResource[b]");
    }

    @Test
    void usingTwoGuardsDropsBothWhenTheBodyThrowsAndSuppressesBothDropErrorsOnTheBodysError() {
        IllegalStateException aFailure = new IllegalStateException("a");
        IllegalStateException bFailure = new IllegalStateException("b");
        RecordingResource a = RecordingResource.failingWith("a", aFailure);
        RecordingResource b = RecordingResource.failingWith("b", bFailure);
        IllegalArgumentException bodyFailure = new IllegalArgumentException("body");

        CompletableFuture<Object> result = AsyncDrop.using(AsyncDropGuard.of(a), AsyncDropGuard.of(b),
                (first, second) -> {
                    throw bodyFailure;
                });

        assertThat(failureOf(result)).isSameAs(bodyFailure);
        assertThat(bodyFailure.getSuppressed()).containsExactly(aFailure, bFailure);
        assertThat(a.drops()).isEqualTo(1);
        assertThat(b.drops()).isEqualTo(1);
    }

    @Test
    void usingTwoGuardsWhoseDropsBothFailReportsTheFirstAsCauseAndTheSecondSuppressedOnIt() {
        IllegalStateException aFailure = new IllegalStateException("a");
        IllegalStateException bFailure = new IllegalStateException("b");
        CompletableFuture<Void> aDropped = new CompletableFuture<>();

        CompletableFuture<String> result = AsyncDrop.using(
                AsyncDropGuard.of(RecordingResource.droppingWhen("a", aDropped)),
                AsyncDropGuard.of(RecordingResource.failingWith("b", bFailure)),
                (first, second) -> CompletableFuture.completedFuture("value"));
        aDropped.completeExceptionally(aFailure);

        assertThat(failureOf(result)).isInstanceOf(AsyncDropException.class).hasCause(aFailure);
        assertThat(aFailure.getSuppressed()).containsExactly(bFailure);
    }

    @Test
    void usingTwoGuardsStillDropsTheFirstWhenTheSecondCannotBeUsed() {
        RecordingResource a = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> b = AsyncDropGuard.of(RecordingResource.droppingAtOnce("b"));
        b.asyncDrop();

        CompletableFuture<Object> result = AsyncDrop.using(AsyncDropGuard.of(a), b,
                (first, second) -> CompletableFuture.completedFuture(null));

        assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class);
        assertThat(a.drops()).isEqualTo(1);
    }

    @Test
    void dropAllStartsEveryDropAtOnceAndWaitsForAllEvenAfterAFailure() {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("fast failure");
        RecordingResource slowResource = RecordingResource.droppingWhen("slow", slow);
        RecordingResource failing = RecordingResource.failingWith("failing", failure);
        RecordingResource fine = RecordingResource.droppingAtOnce("fine");

        CompletableFuture<Void> all = AsyncDrop.dropAll(List.of(AsyncDropGuard.of(slowResource),
                AsyncDropGuard.of(failing), AsyncDropGuard.of(fine)));

        assertThat(slowResource.drops()).isEqualTo(1);
        assertThat(failing.drops()).isEqualTo(1);
        assertThat(fine.drops()).isEqualTo(1);
        assertThat(all).isNotDone();
        slow.complete(null);
        assertThat(failureOf(all)).isInstanceOf(AsyncDropException.class).hasCause(failure)
                .hasMessageContaining("1 of 3 drops failed");
    }

    @Test
    void dropAllMakesTheFirstFailureInIterationOrderTheCauseAndSuppressesTheOthersOnIt() {
        CompletableFuture<Void> late = new CompletableFuture<>();
        IllegalStateException first = new IllegalStateException("first, but fails last");
        IllegalStateException second = new IllegalStateException("second");
        IllegalStateException third = new IllegalStateException("third");

        CompletableFuture<Void> all = AsyncDrop.dropAll(List.of(
                AsyncDropGuard.of(RecordingResource.droppingWhen("late", late)),
                AsyncDropGuard.of(RecordingResource.failingWith("b", second)),
                AsyncDropGuard.of(RecordingResource.failingWith("c", third))));
        late.completeExceptionally(first);

        Throwable failure = failureOf(all);
        assertThat(failure).isInstanceOf(AsyncDropException.class).hasCause(first)
                .hasMessageContaining("3 of 3 drops failed");
        assertThat(first.getSuppressed()).containsExactly(second, third);
    }

    @Test
    void droppingTheSameFailedGuardsAgainAddsEachFailureOnceAndNeverInACycle() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second");
        AsyncDropGuard<RecordingResource> a = AsyncDropGuard.of(RecordingResource.failingWith("a", first));
        AsyncDropGuard<RecordingResource> b = AsyncDropGuard.of(RecordingResource.failingWith("b", second));

        for (int i = 0; i < 3; i++) {
            failureOf(AsyncDrop.dropAll(List.of(a, b)));
        }
        Throwable reversed = failureOf(AsyncDrop.dropAll(List.of(b, a)));

        assertThat(first.getSuppressed()).containsExactly(second);
        assertThat(second.getSuppressed()).isEmpty();
        assertThat(reversed).isInstanceOf(AsyncDropException.class).hasCause(second);
    }

    @Test
    void dropAllOfNothingCompletesAtOnce() {
        assertThat(AsyncDrop.dropAll(List.of())).isCompletedWithValue(null);
    }

    @Test
    void dropAllRejectsANullGuardBeforeDroppingAnything() {
        RecordingResource resource = RecordingResource.droppingAtOnce("a");
        List<AsyncDropGuard<?>> guards = new ArrayList<>(Arrays.asList(AsyncDropGuard.of(resource), null));

        assertThatThrownBy(() -> AsyncDrop.dropAll(guards)).isInstanceOf(NullPointerException.class)
                .hasMessage("'guards' must not contain null");
        assertThat(resource.drops()).isZero();
        guards.get(0).asyncDrop();
    }

    @Test
    void dropAllCountsADisarmedGuardAsAFailureAndStillDropsTheRest() {
        AsyncDropGuard<RecordingResource> disarmed = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        disarmed.unsafeIntoInnerDontDrop();
        RecordingResource other = RecordingResource.droppingAtOnce("b");

        CompletableFuture<Void> all = AsyncDrop.dropAll(List.of(disarmed, AsyncDropGuard.of(other)));

        assertThat(failureOf(all)).isInstanceOf(AsyncDropException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(other.drops()).isEqualTo(1);
    }

    @Test
    void dropOnFailurePassesASuccessThroughAndLeavesTheGuardAlive() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));

        CompletableFuture<String> result = AsyncDrop.dropOnFailure(guard, CompletableFuture.completedFuture("ok"));

        assertThat(result).isCompletedWithValue("ok");
        assertThat(guard.isDropped()).isFalse();
        guard.close();
    }

    @Test
    void dropOnFailureDropsTheGuardAndFailsWithTheOriginalErrorOnceTheDropHasFinished() {
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        RecordingResource resource = RecordingResource.droppingWhen("a", dropped);
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
        CompletableFuture<String> work = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("work failed");

        CompletableFuture<String> result = AsyncDrop.dropOnFailure(guard, work.thenApply(value -> value));
        work.completeExceptionally(failure);

        assertThat(resource.drops()).isEqualTo(1);
        assertThat(result).isNotDone();
        dropped.complete(null);
        assertThat(failureOf(result)).isSameAs(failure);
    }

    @Test
    void dropOnFailureSuppressesTheDropErrorOnTheOriginalError() {
        IllegalStateException dropFailure = new IllegalStateException("drop failed");
        IllegalArgumentException failure = new IllegalArgumentException("work failed");

        CompletableFuture<Object> result = AsyncDrop.dropOnFailure(
                AsyncDropGuard.of(RecordingResource.failingWith("a", dropFailure)),
                CompletableFuture.failedFuture(failure));

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(failure.getSuppressed()).containsExactly(dropFailure);
    }

    @Test
    void argumentsAreChecked() {
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        CompletionStage<Object> done = CompletableFuture.completedFuture(null);
        assertThatThrownBy(() -> AsyncDrop.using(null, r -> done)).hasMessage("'guard' must not be null");
        assertThatThrownBy(() -> AsyncDrop.using(guard, null)).hasMessage("'body' must not be null");
        assertThatThrownBy(() -> AsyncDrop.using(null, guard, (x, y) -> done)).hasMessage("'a' must not be null");
        assertThatThrownBy(() -> AsyncDrop.using(guard, null, (x, y) -> done)).hasMessage("'b' must not be null");
        assertThatThrownBy(() -> AsyncDrop.dropAll(null)).hasMessage("'guards' must not be null");
        assertThatThrownBy(() -> AsyncDrop.dropOnFailure(null, done)).hasMessage("'guard' must not be null");
        assertThatThrownBy(() -> AsyncDrop.dropOnFailure(guard, null)).hasMessage("'stage' must not be null");
        assertThat(guard.isDropped()).isFalse();
        guard.close();
    }
}
