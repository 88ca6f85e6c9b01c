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
     * @param failure a failure as a future reports it, or {@code null}
     * @return the failure without its {@link CompletionException} and {@link ExecutionException} wrappers
     */
    public static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
