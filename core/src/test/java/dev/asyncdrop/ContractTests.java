package dev.asyncdrop;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.asyncdrop.coordinator.DependencyCycleException;
import dev.asyncdrop.coordinator.DropListener;
import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropRecord;
import dev.asyncdrop.coordinator.DropReport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The public API exactly as the design contract writes it: names, parameter and return types, generic bounds and
 * wildcards, and the lambda forms users write. Its value is mostly that it compiles: a rename, a narrowed wildcard or
 * a changed return type breaks the build here before it breaks a user. Every variable is declared with the type the
 * contract promises, and arguments use the widest types the wildcards admit.
 */
class ContractTests {

    /** A resource type of the user's, so generic bounds are checked against something other than the interface. */
    static final class Pool implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A resource that owns another's obligation, for {@code unsafeMap}. */
    static final class PoolWrapper implements AsyncDroppable {

        final Pool pool;

        PoolWrapper(Pool pool) {
            this.pool = pool;
        }

        @Override
        public CompletionStage<Void> asyncDrop() {
            return pool.asyncDrop();
        }
    }

    @Test
    void theAsyncDroppableInterfaceIsALambdaWithADefaultTimeoutHook() {
        AsyncDroppable droppable = () -> CompletableFuture.completedFuture(null);
        CompletionStage<Void> stage = droppable.asyncDrop();
        droppable.onDropTimeout();

        assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
        assertThat(AsyncDroppable.class).hasAnnotation(FunctionalInterface.class);
    }

    @Test
    void theGuardHasTheContractsMethodsAndIsAutoCloseable() {
        AsyncDropGuard<Pool> guard = AsyncDropGuard.of(new Pool());
        AutoCloseable closeable = guard;
        Pool pool = guard.get();
        boolean dropped = guard.isDropped();
        Function<AsyncDroppable, PoolWrapper> wrap = resource -> new PoolWrapper((Pool) resource);
        AsyncDropGuard<PoolWrapper> mapped = guard.unsafeMap(wrap);
        PoolWrapper wrapper = mapped.unsafeIntoInnerDontDrop();
        AsyncDropGuard<Pool> second = AsyncDropGuard.of(wrapper.pool);
        CompletionStage<Void> stage = second.asyncDrop();
        AsyncDropGuard<Pool> third = AsyncDropGuard.of(new Pool());
        third.close();

        assertThat(closeable).isSameAs(guard);
        assertThat(pool).isSameAs(wrapper.pool);
        assertThat(dropped).isFalse();
        assertThat(stage.toCompletableFuture()).isCompletedWithValue(null);
        assertThat(third.isDropped()).isTrue();
    }

    @Test
    void theUsingFamilyTakesTheContractsWildcards() {
        // Function<? super T, ? extends CompletionStage<R>>: a function of a supertype returning a subtype compiles.
        Function<AsyncDroppable, CompletableFuture<String>> body = resource -> CompletableFuture.completedFuture("one");
        CompletableFuture<String> one = AsyncDrop.using(AsyncDropGuard.of(new Pool()), body);
        // BiFunction<? super A, ? super B, ? extends CompletionStage<R>>.
        BiFunction<Object, AsyncDroppable, CompletableFuture<Integer>> both = (a, b) ->
                CompletableFuture.completedFuture(2);
        CompletableFuture<Integer> two = AsyncDrop.using(AsyncDropGuard.of(new Pool()),
                AsyncDropGuard.of(new PoolWrapper(new Pool())), both);
        // The lambda forms of the contract.
        CompletableFuture<Integer> lambda = AsyncDrop.using(AsyncDropGuard.of(new Pool()),
                (Pool pool) -> CompletableFuture.completedFuture(3));
        CompletableFuture<Integer> biLambda = AsyncDrop.using(AsyncDropGuard.of(new Pool()),
                AsyncDropGuard.of(new Pool()), (Pool a, Pool b) -> CompletableFuture.completedFuture(4));
        // Collection<? extends AsyncDropGuard<?>>.
        Collection<AsyncDropGuard<Pool>> guards = List.of(AsyncDropGuard.of(new Pool()), AsyncDropGuard.of(new Pool()));
        CompletableFuture<Void> all = AsyncDrop.dropAll(guards);
        AsyncDropGuard<Pool> kept = AsyncDropGuard.of(new Pool());
        CompletableFuture<String> passed = AsyncDrop.dropOnFailure(kept, CompletableFuture.completedFuture("five"));

        assertThat(one.join()).isEqualTo("one");
        assertThat(two.join()).isEqualTo(2);
        assertThat(lambda.join()).isEqualTo(3);
        assertThat(biLambda.join()).isEqualTo(4);
        assertThat(all.join()).isNull();
        assertThat(passed.join()).isEqualTo("five");
        assertThat(kept.isDropped()).isFalse();
        kept.close();
    }

    @Test
    void theSharedHandleMapAndScopeHaveTheContractsSignatures() {
        AsyncDropGuard<SharedAsyncDrop<Pool>> first = SharedAsyncDrop.of(AsyncDropGuard.of(new Pool()));
        SharedAsyncDrop<Pool> shared = first.get();
        AsyncDroppable sharedIsDroppable = shared;
        AsyncDropGuard<SharedAsyncDrop<Pool>> second = shared.share();
        Pool sharedPool = shared.get();
        int refCount = shared.refCount();

        AsyncDropGuard<AsyncDropMap<String, Pool>> mapGuard = AsyncDropMap.create();
        AsyncDropMap<String, Pool> map = mapGuard.get();
        AsyncDroppable mapIsDroppable = map;
        AsyncDropGuard<Pool> rejected = map.tryInsert("a", AsyncDropGuard.of(new Pool()));
        Pool inMap = map.get("a");
        int mapSize = map.size();
        AsyncDropGuard<Pool> removed = map.remove("a");

        AsyncDropGuard<AsyncDropScope> scopeGuard = AsyncDropScope.create();
        AsyncDropScope scope = scopeGuard.get();
        AsyncDroppable scopeIsDroppable = scope;
        AsyncDropGuard<Pool> tracked = scope.track(new Pool());
        AsyncDropGuard<Pool> adopted = scope.adopt(AsyncDropGuard.of(new Pool()));
        int scopeSize = scope.size();

        assertThat(sharedIsDroppable).isSameAs(shared);
        assertThat(sharedPool).isNotNull();
        assertThat(refCount).isEqualTo(2);
        assertThat(mapIsDroppable).isSameAs(map);
        assertThat(rejected).isNull();
        assertThat(inMap).isNotNull();
        assertThat(mapSize).isEqualTo(1);
        assertThat(scopeIsDroppable).isSameAs(scope);
        assertThat(tracked.isDropped()).isFalse();
        assertThat(scopeSize).isEqualTo(2);
        assertThat(AsyncDrop.dropAll(List.of(first, second, mapGuard, removed, scopeGuard)))
                .succeedsWithin(Duration.ofSeconds(30));
        assertThat(adopted.isDropped()).isTrue();
    }

    @Test
    void theExceptionsFormOneHierarchyRootedInAnUncheckedException() {
        Class<? extends RuntimeException> root = AsyncDropException.class;
        Class<? extends AsyncDropException> cycle = DependencyCycleException.class;

        assertThat(root).isNotNull();
        assertThat(cycle).isNotNull();
        assertThatExceptionOfType(DependencyCycleException.class)
                .isThrownBy(() -> DropPlan.builder()
                        .add("a", new Pool(), n -> n.dependsOn("b"))
                        .add("b", new Pool(), n -> n.dependsOn("a"))
                        .build())
                .satisfies(ex -> {
                    List<String> path = ex.cycle();
                    assertThat(path).containsExactly("a", "b", "a");
                });
    }

    @Test
    void leakDetectionHasTheContractsLevelsListenerAndCount() {
        LeakDetection.Level before = LeakDetection.level();
        try {
            LeakDetection.setLevel(LeakDetection.Level.DISABLED);
            LeakDetection.setLevel(LeakDetection.Level.PARANOID);
            LeakDetection.setLevel(LeakDetection.Level.SAMPLED);
            LeakListener listener = (LeakReport report) -> {
                Class<?> type = report.resourceType();
                String description = report.description();
                Optional<StackTraceElement[]> stack = report.creationStack();
                assertThat(type).isNotNull();
                assertThat(description).isNotNull();
                assertThat(stack).isNotNull();
            };
            LeakDetection.addListener(listener);
            LeakDetection.removeListener(listener);
            long live = LeakDetection.liveGuards();

            assertThat(live).isNotNegative();
            assertThat(LeakDetection.LEVEL_PROPERTY).isEqualTo("asyncdrop.leakDetection.level");
            assertThat(LeakDetection.Level.values()).extracting(Enum::name)
                    .containsExactly("DISABLED", "SAMPLED", "PARANOID");
        }
        finally {
            LeakDetection.setLevel(before);
        }
    }

    @Test
    void theCoordinatorIsBuiltAndExecutedAsTheContractWritesIt() {
        DropListener listener = new DropListener() {
            @Override
            public void onDropStarted(String name, int phase) {
            }

            @Override
            public void onDropFinished(DropRecord record) {
            }

            @Override
            public void onPhaseFinished(int phase, Duration duration, DropOutcome outcome) {
            }
        };
        DropPlan plan = DropPlan.builder()
                .defaultPhaseTimeout(Duration.ofSeconds(20))
                .phaseTimeout(100, Duration.ofSeconds(5))
                .add("writer", new Pool(), n -> n.dependsOn("pool", "executor").phase(100)
                        .timeout(Duration.ofSeconds(3)))
                .add("pool", new Pool())
                .add("executor", new Pool())
                .listener(listener)
                .build();

        CompletableFuture<DropReport> one = plan.executePhase(100);
        CompletableFuture<DropReport> all = plan.execute();
        DropReport report = all.orTimeout(30, TimeUnit.SECONDS).join();
        List<DropRecord> records = report.records();
        Duration makespan = report.makespan();
        Duration criticalPath = report.criticalPath();
        String json = report.toJson();
        String trace = report.toTraceEventJson();
        String text = report.toText();
        DropRecord first = records.get(0);
        String name = first.name();
        int phase = first.phase();
        DropOutcome outcome = first.outcome();
        Duration startOffset = first.startOffset();
        Duration duration = first.duration();
        Optional<Throwable> failure = first.failure();

        assertThat(one.join().records()).extracting(DropRecord::name).containsExactly("writer");
        assertThat(records).hasSize(3);
        assertThat(makespan).isGreaterThanOrEqualTo(criticalPath);
        assertThat(json).startsWith("{");
        assertThat(trace).contains("traceEvents");
        assertThat(text).contains("writer");
        assertThat(name).isEqualTo("writer");
        assertThat(phase).isEqualTo(100);
        assertThat(outcome).isEqualTo(DropOutcome.DROPPED);
        assertThat(startOffset.isNegative()).isFalse();
        assertThat(duration.isNegative()).isFalse();
        assertThat(failure).isEmpty();
        assertThat(DropOutcome.values()).extracting(Enum::name)
                .containsExactly("DROPPED", "FAILED", "TIMED_OUT", "SKIPPED");
    }
}
