package dev.asyncdrop.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDroppable;

import static org.assertj.core.api.Assertions.assertThat;

class GuardDropListenersTests {

    @Test
    void aTracerHearsTheStartOfEachGuardDropAndIsToldItsEndOnce() {
        List<String> heard = new CopyOnWriteArrayList<>();
        GuardDropTracer tracer = (type) -> {
            heard.add("started " + type.getSimpleName());
            return (@Nullable Throwable failure) -> heard.add("ended " + ((failure != null) ? failure.getMessage()
                    : "well"));
        };
        GuardDropListeners.addTracer(tracer);
        try {
            AsyncDropGuard.of(new TracedSession(null)).close();
            AsyncDropGuard.of(new TracedSession(new IllegalStateException("badly"))).asyncDrop();
        }
        finally {
            GuardDropListeners.removeTracer(tracer);
        }

        assertThat(heard).containsExactly("started TracedSession", "ended well", "started TracedSession",
                "ended badly");
    }

    @Test
    void aTracerThatThrowsDisturbsNoDrop() throws Exception {
        GuardDropTracer throwingAtStart = (type) -> {
            throw new IllegalStateException("tracer broken");
        };
        GuardDropTracer throwingAtEnd = (type) -> (failure) -> {
            throw new AssertionError("tracer broken");
        };
        GuardDropListeners.addTracer(throwingAtStart);
        GuardDropListeners.addTracer(throwingAtEnd);
        try {
            AsyncDropGuard<TracedSession> guard = AsyncDropGuard.of(new TracedSession(null));

            guard.close();

            assertThat(guard.isDropped()).isTrue();
        }
        finally {
            GuardDropListeners.removeTracer(throwingAtStart);
            GuardDropListeners.removeTracer(throwingAtEnd);
        }
    }

    @Test
    void whenNothingWatchesAGuardDropIsNotWatched() {
        assertThat(GuardDropListeners.started(TracedSession.class)).isNull();
    }

    static final class TracedSession implements AsyncDroppable {

        private final @Nullable Throwable failure;

        TracedSession(@Nullable Throwable failure) {
            this.failure = failure;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return (failure != null) ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(null);
        }
    }
}
