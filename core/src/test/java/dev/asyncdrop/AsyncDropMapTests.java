package dev.asyncdrop;

import static dev.asyncdrop.AsyncDropGuardTests.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class AsyncDropMapTests {

    @Test
    void tryInsertTakesOwnershipOrHandsTheGuardBackWhenTheKeyIsTaken() {
        AsyncDropMap<String, RecordingResource> map = AsyncDropMap.<String, RecordingResource>create().get();
        RecordingResource a = RecordingResource.droppingAtOnce("a");
        AsyncDropGuard<RecordingResource> other = AsyncDropGuard.of(RecordingResource.droppingAtOnce("other"));

        assertThat(map.tryInsert("k", AsyncDropGuard.of(a))).isNull();
        assertThat(map.tryInsert("k", other)).isSameAs(other);

        assertThat(map.get("k")).isSameAs(a);
        assertThat(map.get("missing")).isNull();
        assertThat(map.size()).isEqualTo(1);
        other.close();
    }

    @Test
    void removePassesOwnershipToTheCaller() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        AsyncDropMap<String, RecordingResource> map = mapGuard.get();
        RecordingResource a = RecordingResource.droppingAtOnce("a");
        map.tryInsert("k", AsyncDropGuard.of(a));

        AsyncDropGuard<RecordingResource> removed = map.remove("k");
        mapGuard.close();

        assertThat(removed).isNotNull();
        assertThat(a.drops()).isZero();
        assertThat(map.remove("k")).isNull();
        removed.close();
        assertThat(a.drops()).isEqualTo(1);
    }

    @Test
    void droppingTheMapDropsEveryValueConcurrentlyAndWaitsForAll() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        CompletableFuture<Void> slow = new CompletableFuture<>();
        RecordingResource slowResource = RecordingResource.droppingWhen("slow", slow);
        RecordingResource fast = RecordingResource.droppingAtOnce("fast");
        mapGuard.get().tryInsert("slow", AsyncDropGuard.of(slowResource));
        mapGuard.get().tryInsert("fast", AsyncDropGuard.of(fast));
        AsyncDropMap<String, RecordingResource> map = mapGuard.get();

        CompletableFuture<Void> dropped = mapGuard.asyncDrop().toCompletableFuture();

        assertThat(slowResource.drops()).isEqualTo(1);
        assertThat(fast.drops()).isEqualTo(1);
        assertThat(map.size()).isZero();
        assertThat(dropped).isNotDone();
        slow.complete(null);
        assertThat(dropped).isCompletedWithValue(null);
    }

    @Test
    void aFailedValueDropFailsTheMapsDropWithTheFailureAsCause() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        IllegalStateException failure = new IllegalStateException("boom");
        RecordingResource fine = RecordingResource.droppingAtOnce("fine");
        mapGuard.get().tryInsert("failing", AsyncDropGuard.of(RecordingResource.failingWith("failing", failure)));
        mapGuard.get().tryInsert("fine", AsyncDropGuard.of(fine));

        assertThat(failureOf(mapGuard.asyncDrop())).isInstanceOf(AsyncDropException.class).hasCause(failure);
        assertThat(fine.drops()).isEqualTo(1);
    }

    @Test
    void whenSeveralValuesFailTheFirstIsTheCauseAndTheOthersAreSuppressedOnIt() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        IllegalStateException one = new IllegalStateException("one");
        IllegalStateException two = new IllegalStateException("two");
        mapGuard.get().tryInsert("one", AsyncDropGuard.of(RecordingResource.failingWith("one", one)));
        mapGuard.get().tryInsert("two", AsyncDropGuard.of(RecordingResource.failingWith("two", two)));

        Throwable cause = failureOf(mapGuard.asyncDrop()).getCause();

        assertThat(cause).isIn(one, two);
        assertThat(cause.getSuppressed()).containsExactly(cause == one ? two : one);
    }

    @Test
    void tryInsertIsRejectedOnceTheMapsDropHasBegunAndTheCallerKeepsTheGuard() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        AsyncDropMap<String, RecordingResource> map = mapGuard.get();
        mapGuard.close();
        RecordingResource late = RecordingResource.droppingAtOnce("late");
        AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(late);

        assertThatIllegalStateException().isThrownBy(() -> map.tryInsert("k", guard))
                .withMessageContaining("being dropped").withMessageContaining("still belongs to the caller");

        assertThat(map.size()).isZero();
        assertThat(guard.isDropped()).isFalse();
        guard.close();
    }

    @Test
    void tryInsertRejectsADroppedGuardAndNulls() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        AsyncDropMap<String, RecordingResource> map = mapGuard.get();
        AsyncDropGuard<RecordingResource> dropped = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        dropped.close();

        assertThatIllegalArgumentException().isThrownBy(() -> map.tryInsert("k", dropped))
                .withMessageContaining("already dropped");
        assertThatThrownBy(() -> map.tryInsert(null, dropped)).hasMessage("'key' must not be null");
        assertThatThrownBy(() -> map.tryInsert("k", null)).hasMessage("'value' must not be null");
        assertThatThrownBy(() -> map.get(null)).hasMessage("'key' must not be null");
        assertThatThrownBy(() -> map.remove(null)).hasMessage("'key' must not be null");
        mapGuard.close();
    }

    @Test
    void tryInsertRejectsADisarmedGuardWhichTheMapCouldNeverDrop() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        AsyncDropMap<String, RecordingResource> map = mapGuard.get();
        AsyncDropGuard<RecordingResource> disarmed = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        disarmed.unsafeIntoInnerDontDrop();

        assertThatIllegalArgumentException().isThrownBy(() -> map.tryInsert("k", disarmed))
                .withMessageContaining("'value' for key k was disarmed");
        assertThat(map.size()).isZero();
        assertThat(mapGuard.asyncDrop().toCompletableFuture()).isCompletedWithValue(null);
    }

    @Test
    void getAnswersNullForAValueThatIsBeingDropped() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        AsyncDropGuard<RecordingResource> value = AsyncDropGuard.of(RecordingResource.droppingAtOnce("a"));
        mapGuard.get().tryInsert("k", value);
        value.asyncDrop();  // misuse: the map owns it, but get() must not blow up

        assertThat(mapGuard.get().get("k")).isNull();
        mapGuard.close();
    }

    @Test
    void aSecondDirectAsyncDropReturnsTheSameOutcome() {
        AsyncDropGuard<AsyncDropMap<String, RecordingResource>> mapGuard = AsyncDropMap.create();
        AsyncDropMap<String, RecordingResource> map = mapGuard.get();

        assertThat(map.asyncDrop()).isSameAs(map.asyncDrop());
        assertThat(map).hasToString("AsyncDropMap[size=0, dropping]");
        mapGuard.close();
    }
}
