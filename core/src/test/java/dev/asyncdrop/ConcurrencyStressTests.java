package dev.asyncdrop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many threads released together by a barrier, over many rounds: exactly-once must hold in every round. Bounded
 * to a few seconds on a small machine; a longer run only needs more rounds.
 */
class ConcurrencyStressTests {

    private static final int THREADS = 4;

    private static final int ROUNDS = Integer.getInteger("asyncdrop.stress.rounds", 1_000);

    // Enough operations per thread that the drop usually lands in the middle of them.
    private static final int KEYS = 32;

    private static ExecutorService pool;

    @BeforeAll
    static void startThreads() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void racingAsyncDropCallsDropTheResourceOnceAndAllSeeTheSameStage() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RecordingResource resource = RecordingResource.droppingAtOnce("r" + round);
            AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
            List<CompletionStage<Void>> stages = new CopyOnWriteArrayList<>();

            race(List.of(() -> stages.add(guard.asyncDrop()), () -> stages.add(guard.asyncDrop()),
                    () -> stages.add(guard.asyncDrop()), () -> stages.add(guard.asyncDrop())));

            assertThat(resource.drops()).as("round %d", round).isEqualTo(1);
            assertThat(stages).hasSize(THREADS).allSatisfy(stage -> assertThat(stage).isSameAs(stages.get(0)));
        }
    }

    @Test
    void racingDropsAgainstDisarmingLetExactlyOneWin() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RecordingResource resource = RecordingResource.droppingAtOnce("r" + round);
            AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
            AtomicInteger disarms = new AtomicInteger();
            Runnable drop = () -> {
                try {
                    guard.asyncDrop();
                }
                catch (IllegalStateException disarmedFirst) {
                    // the disarm won
                }
            };
            Runnable disarm = () -> {
                try {
                    guard.unsafeIntoInnerDontDrop();
                    disarms.incrementAndGet();
                }
                catch (IllegalStateException droppedFirst) {
                    // a drop or the other disarm won
                }
            };

            race(List.of(drop, disarm, drop, disarm));

            assertThat(resource.drops() + disarms.get()).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void sharingRacingHandleDropsDropsTheInnerResourceExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RecordingResource resource = RecordingResource.droppingAtOnce("r" + round);
            AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
            AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();
            SharedAsyncDrop<RecordingResource> shared = first.get();
            List<CompletionStage<Void>> lastStages = new CopyOnWriteArrayList<>();
            Runnable shareAndDrop = () -> {
                try {
                    AsyncDropGuard<SharedAsyncDrop<RecordingResource>> handle = shared.share();
                    AsyncDropGuard<SharedAsyncDrop<RecordingResource>> nested = handle.get().share();
                    lastStages.add(nested.asyncDrop());
                    lastStages.add(handle.asyncDrop());
                }
                catch (IllegalStateException everyHandleWasDropped) {
                    // lost the race to the last drop: correct, and nothing to drop
                }
            };

            race(List.of(() -> lastStages.add(first.asyncDrop()), shareAndDrop,
                    () -> lastStages.add(second.asyncDrop()), shareAndDrop));

            assertThat(resource.drops()).as("round %d", round).isEqualTo(1);
            assertThat(shared.refCount()).isZero();
            assertThat(lastStages).allSatisfy(stage -> assertThat(stage.toCompletableFuture()).isDone());
        }
    }

    @Test
    void unwrappingRacingSharesAndDropsOfTheSameHandleLeavesTheResourceOneOwner() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RecordingResource resource = RecordingResource.droppingAtOnce("r" + round);
            AsyncDropGuard<SharedAsyncDrop<RecordingResource>> first = SharedAsyncDrop.of(AsyncDropGuard.of(resource));
            AsyncDropGuard<SharedAsyncDrop<RecordingResource>> second = first.get().share();
            SharedAsyncDrop<RecordingResource> shared = first.get();
            List<AsyncDropGuard<RecordingResource>> unwrapped = new CopyOnWriteArrayList<>();
            Runnable unwrap = () -> {
                try {
                    shared.tryUnwrap().ifPresent(unwrapped::add);
                }
                catch (IllegalStateException firstWasDropped) {
                    // the drop of the same handle won
                }
            };
            Runnable dropFirst = () -> {
                try {
                    first.asyncDrop();
                }
                catch (IllegalStateException firstWasUnwrapped) {
                    // the unwrap won
                }
            };
            Runnable shareAndDrop = () -> {
                try {
                    shared.share().asyncDrop();
                }
                catch (IllegalStateException noHandleLeft) {
                    // the last handle was dropped or unwrapped first
                }
            };

            race(List.of(second::asyncDrop, unwrap, shareAndDrop, dropFirst));
            unwrapped.forEach(AsyncDropGuard::asyncDrop);

            assertThat(unwrapped).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            assertThat(resource.drops()).as("round %d", round).isEqualTo(1);
            assertThat(shared.refCount()).isZero();
            assertThat(first.isDropped() != first.isDisarmed()).as("the handle was dropped or unwrapped").isTrue();
        }
    }

    @Test
    void insertsAndRemovesRacingTheMapsDropLoseNothingAndDropNothingTwice() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AsyncDropGuard<AsyncDropMap<Integer, RecordingResource>> mapGuard = AsyncDropMap.create();
            AsyncDropMap<Integer, RecordingResource> map = mapGuard.get();
            List<RecordingResource> resources = new CopyOnWriteArrayList<>();
            List<AsyncDropGuard<RecordingResource>> returnedToUs = new CopyOnWriteArrayList<>();
            for (int key = 0; key < 4; key++) {
                RecordingResource resource = RecordingResource.droppingAtOnce("pre" + key);
                resources.add(resource);
                map.tryInsert(key, AsyncDropGuard.of(resource));
            }
            Runnable inserter = () -> {
                for (int key = 4; key < KEYS; key++) {
                    RecordingResource resource = RecordingResource.droppingAtOnce("k" + key);
                    resources.add(resource);
                    AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
                    try {
                        AsyncDropGuard<RecordingResource> rejected = map.tryInsert(key, guard);
                        if (rejected != null) {
                            returnedToUs.add(rejected);
                        }
                    }
                    catch (IllegalStateException mapIsDropping) {
                        returnedToUs.add(guard);
                    }
                }
            };
            Runnable remover = () -> {
                for (int key = 0; key < KEYS; key++) {
                    AsyncDropGuard<RecordingResource> removed = map.remove(key);
                    if (removed != null) {
                        returnedToUs.add(removed);
                    }
                }
            };
            List<CompletionStage<Void>> mapDrop = new CopyOnWriteArrayList<>();

            race(List.of(inserter, remover, () -> mapDrop.add(mapGuard.asyncDrop()), inserter));
            assertThat(mapDrop.get(0).toCompletableFuture()).isCompletedWithValue(null);
            AsyncDrop.dropAll(returnedToUs).join();

            assertThat(map.size()).isZero();
            assertThat(resources).as("round %d", round).allSatisfy(
                    resource -> assertThat(resource.drops()).as(resource.toString()).isEqualTo(1));
        }
    }

    @Test
    void trackingUntrackingAndAdoptingRacingTheScopesDropLoseNothingAndDropNothingTwice() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
            AsyncDropScope scope = scopeGuard.get();
            List<RecordingResource> resources = new CopyOnWriteArrayList<>();
            List<AsyncDropGuard<RecordingResource>> ours = new CopyOnWriteArrayList<>();
            Runnable tracker = () -> {
                for (int i = 0; i < KEYS; i++) {
                    RecordingResource resource = RecordingResource.droppingAtOnce("t" + i);
                    resources.add(resource);
                    try {
                        AsyncDropGuard<RecordingResource> guard = scope.track(resource);
                        if (i % 3 == 0) {
                            guard.asyncDrop();  // dropping early takes it out of the scope
                        }
                        else if (i % 3 == 1) {
                            scope.untrack(resource).ifPresent(ours::add);  // or the scope's drop took it
                        }
                    }
                    catch (IllegalStateException scopeIsDropping) {
                        ours.add(AsyncDropGuard.of(resource));
                    }
                }
            };
            Runnable adopter = () -> {
                for (int i = 0; i < KEYS; i++) {
                    RecordingResource resource = RecordingResource.droppingAtOnce("a" + i);
                    resources.add(resource);
                    AsyncDropGuard<RecordingResource> guard = AsyncDropGuard.of(resource);
                    try {
                        scope.adopt(guard);
                    }
                    catch (IllegalStateException scopeIsDropping) {
                        ours.add(guard);
                    }
                }
            };
            List<CompletionStage<Void>> scopeDrop = new CopyOnWriteArrayList<>();

            race(List.of(tracker, adopter, () -> scopeDrop.add(scopeGuard.asyncDrop()), tracker));
            assertThat(scopeDrop.get(0).toCompletableFuture()).isCompletedWithValue(null);
            AsyncDrop.dropAll(ours).join();

            assertThat(scope.size()).isZero();
            assertThat(resources).as("round %d", round).allSatisfy(
                    resource -> assertThat(resource.drops()).as(resource.toString()).isEqualTo(1));
        }
    }

    /** Runs the actions on separate threads, released together, and waits for all of them. */
    private static void race(List<Runnable> actions) throws Exception {
        CyclicBarrier start = new CyclicBarrier(actions.size());
        List<Future<?>> running = new ArrayList<>(actions.size());
        for (Runnable action : actions) {
            running.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                action.run();
                return null;
            }));
        }
        for (Future<?> each : running) {
            each.get(30, TimeUnit.SECONDS);
        }
    }
}
