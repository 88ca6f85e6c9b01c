package dev.asyncdrop.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * The one place that strips the wrappers futures put around a failure, so that guards, the coordinator and metrics
 * all report the exception the resource itself threw.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * Strips the wrappers. Any cause graph is safe: {@link Throwable#initCause} lets two exceptions cause each other,
     * and a walk that went round such a cycle would never end, holding its thread and the drop it reports on. A
     * second pointer that moves at half the speed meets the first inside a cycle, without allocating.
     * @param failure a failure as a future reports it, or {@code null}
     * @return the failure without its {@link CompletionException} and {@link ExecutionException} wrappers; the
     * failure as given when its wrappers cause each other in a cycle, so that no exception of its own is inside
     */
    public static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        Throwable current = failure;
        Throwable behind = failure;
        boolean moveBehind = false;
        while (isWrapper(current)) {
            Throwable cause = current.getCause();
            if (cause == null) {
                break;
            }
            current = cause;
            if (moveBehind) {
                behind = behind.getCause();
            }
            moveBehind = !moveBehind;
            if (current == behind) {
                return failure;
            }
        }
        return current;
    }

    private static boolean isWrapper(@Nullable Throwable failure) {
        return failure instanceof CompletionException || failure instanceof ExecutionException;
    }
}
