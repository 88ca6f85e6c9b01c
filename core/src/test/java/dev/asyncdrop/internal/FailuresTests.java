package dev.asyncdrop.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

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

    @Test
    void aWrapperWhoseGetCauseThrowsEndsTheWalkThere() {
        CompletionException unreadable = new CompletionException("unreadable cause", new IllegalStateException()) {
            private static final long serialVersionUID = 1L;

            @Override
            public synchronized Throwable getCause() {
                throw new IllegalStateException("no cause");
            }
        };

        assertThat(Failures.unwrap(new CompletionException(unreadable))).isSameAs(unreadable);
    }

    @Test
    void aFailureThatCannotRenderItselfIsDescribedByItsClass() {
        UnrenderableFailure failure = new UnrenderableFailure();

        assertThat(Failures.describe(failure)).isEqualTo(UnrenderableFailure.description());
        assertThat(Failures.messageOf(failure))
                .isEqualTo("(its getMessage() threw java.lang.IllegalStateException: no message)");
        assertThat(SafeLog.describe(failure)).startsWith(UnrenderableFailure.class.getName() + '@');
    }

    @Test
    void aFailureThatRendersIsLoggedAsItIs() {
        IllegalStateException failure = new IllegalStateException("fine", new IllegalArgumentException("cause"));

        assertThat(Failures.loggable(failure)).isSameAs(failure);
    }

    @Test
    void aCyclicCauseChainIsLoggedAsAStandInChainThatEnds() {
        IllegalStateException failure = new IllegalStateException("failure");
        IllegalArgumentException cause = new IllegalArgumentException("cause", failure);
        failure.initCause(cause);

        Throwable loggable = Failures.loggable(failure);

        assertThat(loggable).isNotSameAs(failure).hasToString(failure.toString()).hasMessage(failure.toString());
        assertThat(loggable.getStackTrace()).isEqualTo(failure.getStackTrace());
        assertThat(loggable.getCause()).hasToString(cause.toString());
        assertThat(loggable.getCause().getCause()).isNull();
    }

    @Test
    void aFailureThatCannotRenderItselfIsLoggedAsAStandInThatCan() {
        UnrenderableFailure failure = new UnrenderableFailure();
        IllegalStateException wrapper = new IllegalStateException("wrapper", failure);

        Throwable loggable = Failures.loggable(wrapper);

        assertThat(loggable).hasToString(wrapper.toString());
        assertThat(loggable.getCause()).hasToString(UnrenderableFailure.description()).hasNoCause();
        assertThat(loggable.getCause().getStackTrace()).isEqualTo(failure.getStackTrace());
    }

    @Test
    void aSuppressedFailureWhoseCauseCannotRenderItselfMakesTheFailureLoggedAsAStandIn() {
        IllegalStateException failure = new IllegalStateException("failure");
        failure.addSuppressed(new IllegalArgumentException("suppressed", new UnrenderableFailure()));

        Throwable loggable = Failures.loggable(failure);

        assertThat(loggable).isNotSameAs(failure).hasToString(failure.toString()).hasNoCause();
        StringWriter printed = new StringWriter();
        loggable.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).startsWith(failure.toString());
    }

    @Test
    void aFailureWithManySuppressedFailuresThatRenderIsLoggedAsItIs() {
        IllegalStateException failure = new IllegalStateException("failure");
        for (int i = 0; i < 1000; i++) {
            failure.addSuppressed(new IllegalArgumentException("suppressed " + i, new IllegalStateException("cause")));
        }

        assertThat(Failures.loggable(failure)).isSameAs(failure);
    }

    @Test
    void loggingNeverThrowsWhateverTheFailureOrTheBackendDoes() {
        List<Throwable> logged = new ArrayList<>();
        System.Logger recording = new FakeLogger() {
            @Override
            public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
                logged.add(thrown);
            }
        };
        System.Logger throwing = new FakeLogger() {
            @Override
            public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
                throw new AssertionError("the backend broke");
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                throw new AssertionError("the backend broke");
            }
        };

        SafeLog.log(recording, Level.WARNING, "message", new UnrenderableFailure());
        assertThatNoException().isThrownBy(() -> SafeLog.log(throwing, Level.WARNING, "message", null));
        assertThatNoException().isThrownBy(() -> SafeLog.log(throwing, Level.WARNING, "message",
                new UnrenderableFailure()));

        assertThat(logged).singleElement().hasToString(UnrenderableFailure.description());
    }

    /** A logger that is always enabled and drops everything it is given. */
    private static class FakeLogger implements System.Logger {

        @Override
        public String getName() {
            return "fake";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }

        @Override
        public void log(Level level, Supplier<String> messageSupplier) {
            log(level, null, messageSupplier.get(), (Object[]) null);
        }
    }
}
