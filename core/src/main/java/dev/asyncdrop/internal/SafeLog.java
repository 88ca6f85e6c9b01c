package dev.asyncdrop.internal;

import java.lang.System.Logger.Level;

import org.jspecify.annotations.Nullable;

/**
 * Logs about user code (a listener, a hook, a resource and its failure) without trusting it: a {@code toString()},
 * {@code getMessage()} or {@code getCause()} that throws, a cause chain that loops, or a logging backend that fails
 * on either, never throws out of these methods, never hangs, and never ends the thread that reports. What cannot be
 * rendered is named by its class instead. Thread-safe: stateless.
 */
public final class SafeLog {

    private SafeLog() {
    }

    /**
     * Renders an object for a log message.
     * @param object an object of the user's, or {@code null}
     * @return its {@code toString()}, or its class and identity when that throws
     */
    public static String describe(@Nullable Object object) {
        if (object == null) {
            return "null";
        }
        try {
            return String.valueOf(object.toString());
        }
        catch (Throwable ex) {
            return object.getClass().getName() + '@' + Integer.toHexString(System.identityHashCode(object))
                    + " (its toString() threw " + Failures.thrownByUserCode(ex) + ')';
        }
    }

    /**
     * Logs a message with a failure, if any; a failure that cannot be rendered as it is is logged as
     * {@link Failures#loggable(Throwable)} renders it, and a backend that throws is ignored.
     * @param logger the logger
     * @param level the level
     * @param message the message
     * @param failure the failure, or {@code null}
     */
    public static void log(System.Logger logger, Level level, String message, @Nullable Throwable failure) {
        try {
            if (failure == null) {
                logger.log(level, message);
            }
            else {
                logger.log(level, message, Failures.loggable(failure));
            }
        }
        catch (Throwable ex) {
            // Nothing is left to report it to: whoever called is reporting a problem of its own and must go on.
        }
    }

    /**
     * Logs a message.
     * @param logger the logger
     * @param level the level
     * @param message the message
     */
    public static void log(System.Logger logger, Level level, String message) {
        log(logger, level, message, null);
    }
}
