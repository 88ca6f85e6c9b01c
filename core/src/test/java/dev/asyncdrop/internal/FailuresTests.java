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
        CompletionException bare = new Wrapper("bare");

        assertThat(Failures.unwrap(bare)).isSameAs(bare);
        assertThat(Failures.unwrap(null)).isNull();
    }

    @Test
    void aCycleOfWrappersEndsTheWalkWithTheFailureAsGiven() {
        Wrapper first = new Wrapper("first");
        Wrapper second = new Wrapper("second");
        first.initCause(second);
        second.initCause(first);

        assertThat(Failures.unwrap(first)).isSameAs(first);
        assertThat(Failures.unwrap(second)).isSameAs(second);
    }

    @Test
    void aCycleBehindTheFailureIsNotWalked() {
        Wrapper wrapper = new Wrapper("wrapper");
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
        Wrapper first = new Wrapper("first");
        Wrapper second = new Wrapper("second");
        Wrapper third = new Wrapper("third");
        first.initCause(second);
        second.initCause(third);
        third.initCause(first);
        Throwable chain = first;
        for (int i = 0; i < 1_000; i++) {
            chain = new CompletionException(chain);
        }

        assertThat(Failures.unwrap(chain)).isSameAs(chain);
    }

    /** A wrapper whose cause is not set yet, so that a test can set it to close a cycle. */
    static final class Wrapper extends CompletionException {

        Wrapper(String message) {
            super(message);
        }
    }
}
