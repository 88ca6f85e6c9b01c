package dev.asyncdrop.micrometer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.coordinator.DropOutcome;

import static org.assertj.core.api.Assertions.assertThat;

class TagValuesTests {

    @Test
    void aNamedTypeIsTaggedWithItsSimpleName() {
        assertThat(TagValues.type(NamedPool.class)).isEqualTo("NamedPool");
    }

    @Test
    void aLambdaIsTaggedWithTheInterfaceItImplements() {
        AsyncDroppable lambda = () -> CompletableFuture.completedFuture(null);

        assertThat(TagValues.type(lambda.getClass())).isEqualTo("AsyncDroppable");
    }

    @Test
    void anAnonymousSubclassIsTaggedWithItsSuperclass() {
        NamedPool anonymous = new NamedPool() {
        };

        assertThat(TagValues.type(anonymous.getClass())).isEqualTo("NamedPool");
    }

    @Test
    void anAnonymousImplementationIsTaggedWithItsInterface() {
        AsyncDroppable anonymous = new AsyncDroppable() {
            @Override
            public CompletionStage<Void> asyncDrop() {
                return CompletableFuture.completedFuture(null);
            }
        };

        assertThat(TagValues.type(anonymous.getClass())).isEqualTo("AsyncDroppable");
    }

    @Test
    void aProxyGeneratorsSuffixIsCutOff() {
        assertThat(TagValues.type(Pool$$SpringCGLIB$$0.class)).isEqualTo("Pool");
    }

    @Test
    void aFailureIsTaggedWithItsTypeUnwrappedFromTheWrappersOfFutures() {
        Throwable wrapped = new CompletionException(new ExecutionException(new IllegalStateException("closed")));

        assertThat(TagValues.exception(wrapped)).isEqualTo("IllegalStateException");
    }

    @Test
    void noFailureIsTaggedNone() {
        assertThat(TagValues.exception(null)).isEqualTo("none");
    }

    @Test
    void everyOutcomeHasItsTagValue() {
        assertThat(DropOutcome.values()).extracting(TagValues::outcome)
                .containsExactly("success", "failure", "timeout", "skipped");
        assertThat(TagValues.outcome((Throwable) null)).isEqualTo("success");
        assertThat(TagValues.outcome(new IllegalStateException())).isEqualTo("failure");
    }

    static class NamedPool {
    }

    // Named like the classes a proxy generator writes, which is all the tag logic looks at.
    static class Pool$$SpringCGLIB$$0 {
    }
}
