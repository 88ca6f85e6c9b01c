package dev.asyncdrop;

import java.util.function.Function;

import dev.asyncdrop.AsyncDropGuardLincheckTests.CountingResource;

/**
 * The model check of {@link SharedAsyncDropUnwrapLincheckTests} with the first handle moved to a new guard before
 * the operations start, as {@code unsafeMap(Function.identity())} moves it: its unwrap and its drop decide on the
 * guard that holds it now, with the same invariants.
 */
public class SharedAsyncDropMovedHandleUnwrapLincheckTests extends SharedAsyncDropUnwrapLincheckTests {

    @Override
    protected AsyncDropGuard<SharedAsyncDrop<CountingResource>> handOn(
            AsyncDropGuard<SharedAsyncDrop<CountingResource>> handle) {
        return handle.unsafeMap(Function.identity());
    }
}
