package dev.asyncdrop.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompletedStagesTests {

    @Test
    void aSucceededFutureHasNoFailure() {
        assertThat(CompletedStages.failureOf(CompletableFuture.completedFuture("done"))).isNull();
        assertThat(CompletedStages.failureOf(ReadOnlyFuture.succeeded())).isNull();
    }

    @Test
    void theFailureIsTheOneTheFutureWasCompletedWith() {
        IllegalStateException failure = new IllegalStateException("the resource's own");

        assertThat(CompletedStages.failureOf(CompletableFuture.failedFuture(failure))).isSameAs(failure);
        assertThat(CompletedStages.failureOf(ReadOnlyFuture.failed(failure))).isSameAs(failure);
    }

    @Test
    void theFailureOfADependentFutureIsUnwrapped() {
        IllegalStateException failure = new IllegalStateException("the resource's own");
        CompletableFuture<Object> dependent = CompletableFuture.failedFuture(failure).thenApply(value -> value);

        assertThat(CompletedStages.isKnownDone(dependent)).isTrue();
        assertThat(CompletedStages.failureOf(dependent)).isSameAs(failure);
    }

    @Test
    void aCancelledFutureFailsWithItsCancellation() {
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);

        assertThat(CompletedStages.failureOf(cancelled)).isInstanceOf(CancellationException.class);
    }

    @Test
    void aFailureWhoseWrappersCauseEachOtherIsReadAsGivenAndWithoutSpinning() {
        CompletionException cyclic = CyclicFailure.twoWrappersCausingEachOther("cyclic");

        assertThat(CompletedStages.failureOf(CompletableFuture.failedFuture(cyclic))).isSameAs(cyclic);
    }

    @Test
    void aFailureThatCannotRenderItselfIsReadWithoutTouchingIt() {
        UnrenderableFailure failure = new UnrenderableFailure();

        assertThat(CompletedStages.failureOf(CompletableFuture.failedFuture(failure))).isSameAs(failure);
    }
}
