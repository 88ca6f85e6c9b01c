package dev.asyncdrop.internal;

import java.util.concurrent.CompletionException;

/** Failures whose causes form a cycle, which {@link Throwable#initCause} allows as long as each cause is set once. */
public final class CyclicFailure extends CompletionException {

    private static final long serialVersionUID = 1L;

    private CyclicFailure(String message) {
        super(message);
    }

    /**
     * @param message the message of the first wrapper
     * @return a wrapper caused by a second wrapper, which it causes in turn
     */
    public static CompletionException twoWrappersCausingEachOther(String message) {
        CyclicFailure first = new CyclicFailure(message);
        CyclicFailure second = new CyclicFailure(message + ", caused by and causing it");
        first.initCause(second);
        second.initCause(first);
        return first;
    }

    /**
     * @param message its message
     * @return a wrapper whose cause is not set yet, so that a test can close a cycle of its own
     */
    static CompletionException withoutCause(String message) {
        return new CyclicFailure(message);
    }
}
