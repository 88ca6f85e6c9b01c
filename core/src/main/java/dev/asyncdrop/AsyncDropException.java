package dev.asyncdrop;

import org.jspecify.annotations.Nullable;

/**
 * Root of this library's exceptions; thrown, for example, by {@link AsyncDropGuard#close()} when a drop failed,
 * with the drop's failure as its cause. Thread-safe as exceptions usually are: it adds no state to
 * {@link RuntimeException}.
 *
 * @since 0.1.0
 */
public class AsyncDropException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     * @param message what went wrong and what to do
     */
    public AsyncDropException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     * @param message what went wrong and what to do
     * @param cause the failure that caused it
     */
    public AsyncDropException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
