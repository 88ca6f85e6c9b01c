package dev.asyncdrop.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTests {

    @Test
    void wrappersAreStrippedDownToTheFailureTheyCarry() {
        IllegalStateException failure = new IllegalStateException("the resource's own");

        Throwable unwrapped = Failures.unwrap(new CompletionException(new ExecutionException(failure)));

        assertThat(unwrapped).isSameAs(failure);
    }

    @Test
    void aWrapperWithoutACauseIsTheFailureItself() {
        CompletionException bare = CyclicFailure.withoutCause("bare");

        assertThat(Failures.unwrap(bare)).isSameAs(bare);
        assertThat(Failures.unwrap(null)).isNull();
    }

    @Test
    void aCycleOfWrappersEndsTheWalkWithTheFailureAsGiven() {
        CompletionException first = CyclicFailure.withoutCause("first");
        CompletionException second = CyclicFailure.withoutCause("second");
        first.initCause(second);
        second.initCause(first);

        assertThat(Failures.unwrap(first)).isSameAs(first);
        assertThat(Failures.unwrap(second)).isSameAs(second);
    }

    @Test
    void aCycleBehindTheFailureIsNotWalked() {
        CompletionException wrapper = CyclicFailure.withoutCause("wrapper");
        IllegalStateException failure = new IllegalStateException("failure");
        IllegalArgumentException cause = new IllegalArgumentException("cause", failure);
        failure.initCause(cause);
        wrapper.initCause(failure);

        assertThat(Failures.unwrap(wrapper)).isSameAs(failure);
    }

    @Test
    void aLongChainOfWrappersIsStrippedWhateverItsLength() {
        IllegalStateException failure = new IllegalStateException("deep");
        Throwable chain = failure;
        for (int i = 0; i < 10_000; i++) {
            chain = new CompletionException(chain);
        }

        assertThat(Failures.unwrap(chain)).isSameAs(failure);
    }

    @Test
    void aCycleOfWrappersBelowALongChainIsFound() {
        CompletionException first = CyclicFailure.withoutCause("first");
        CompletionException second = CyclicFailure.withoutCause("second");
        CompletionException third = CyclicFailure.withoutCause("third");
        first.initCause(second);
        second.initCause(third);
        third.initCause(first);
        Throwable chain = first;
        for (int i = 0; i < 1_000; i++) {
            chain = new CompletionException(chain);
        }

        assertThat(Failures.unwrap(chain)).isSameAs(chain);
    }
}
