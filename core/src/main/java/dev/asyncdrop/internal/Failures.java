package dev.asyncdrop.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * The one place that strips the wrappers futures put around a failure, so that guards, the coordinator and metrics
 * all report the exception the resource itself threw.
 */
public final class Failures {

    /** The longest cause chain rendered as it is: a longer one is rendered up to here. */
    private static final int MAX_RENDERED_CAUSES = 64;

    /**
     * The most failures read to decide whether a failure renders as it is, its causes and suppressed ones included
     * (a failed drop of many guards carries the others' failures as suppressed): a larger graph gets a stand-in.
     */
    private static final int MAX_READ_FAILURES = 4096;

    private Failures() {
    }

    /**
     * Renders a failure for a message: its {@code toString()}, or its class when that throws.
     * @param failure a failure
     * @return a description that never throws
     */
    public static String describe(Throwable failure) {
        try {
            return String.valueOf(failure.toString());
        }
        catch (Throwable ex) {
            return failure.getClass().getName() + " (its toString() threw " + thrownByUserCode(ex) + ')';
        }
    }

    /**
     * @param thrown what a {@code toString()} or {@code getMessage()} of the user's threw
     * @return its {@code toString()}, or only its class when that throws too: never a third attempt
     */
    static String thrownByUserCode(Throwable thrown) {
        try {
            return String.valueOf(thrown.toString());
        }
        catch (Throwable ex) {
            return thrown.getClass().getName();
        }
    }

    /**
     * A failure that any logging backend can render: the failure itself when it and its causes and suppressed
     * failures render without throwing and its causes end; otherwise a stand-in chain that carries each cause's
     * description and stack trace, up to the cycle or the first cause that cannot be read.
     * @param failure a failure of the user's
     * @return the failure, or a stand-in for it
     */
    public static Throwable loggable(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean safe = rendersSafely(failure);
        Throwable current = failure;
        while (current != null) {
            if (!seen.add(current) || chain.size() == MAX_RENDERED_CAUSES) {
                safe = false;
                break;
            }
            chain.add(current);
            Throwable cause = causeOf(current);
            if (cause == null && !hasNoCause(current)) {
                safe = false;
            }
            current = cause;
        }
        if (safe) {
            return failure;
        }
        Throwable standIn = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            standIn = new StandIn(chain.get(i), standIn);
        }
        return standIn;
    }

    private static boolean hasNoCause(Throwable failure) {
        try {
            failure.getCause();
            return true;
        }
        catch (Throwable ex) {
            return false;
        }
    }

    // Reads what a logging backend prints of a failure: the failure, its cause and its suppressed failures, and
    // theirs in turn, each once, at most MAX_READ_FAILURES of them.
    private static boolean rendersSafely(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.push(failure);
        try {
            while (!pending.isEmpty()) {
                Throwable current = pending.pop();
                if (!seen.add(current)) {
                    continue;
                }
                if (seen.size() > MAX_READ_FAILURES) {
                    return false;
                }
                current.toString();
                current.getMessage();
                current.getLocalizedMessage();
                current.getStackTrace();
                Throwable cause = current.getCause();
                if (cause != null) {
                    pending.push(cause);
                }
                for (Throwable suppressed : current.getSuppressed()) {
                    pending.push(suppressed);
                }
            }
            return true;
        }
        catch (Throwable ex) {
            return false;
        }
    }

    /**
     * Strips the wrappers. Any cause graph is safe: {@link Throwable#initCause} lets two exceptions cause each other,
     * and a walk that went round such a cycle would never end, holding its thread and the drop it reports on. A
     * second pointer that moves at half the speed meets the first inside a cycle, without allocating. A wrapper whose
     * {@code getCause()} throws is where the walk ends.
     * @param failure a failure as a future reports it, or {@code null}
     * @return the failure without its {@link CompletionException} and {@link ExecutionException} wrappers; the
     * failure as given when its wrappers cause each other in a cycle, so that no exception of its own is inside
     */
    public static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        Throwable current = failure;
        Throwable behind = failure;
        boolean moveBehind = false;
        while (isWrapper(current)) {
            Throwable cause = causeOf(current);
            if (cause == null) {
                break;
            }
            current = cause;
            if (moveBehind) {
                behind = causeOf(behind);
            }
            moveBehind = !moveBehind;
            if (current == behind) {
                return failure;
            }
        }
        return current;
    }

    // A wrapper of the user's own may override getCause(): one that throws ends the walk where it is.
    private static @Nullable Throwable causeOf(Throwable failure) {
        try {
            return failure.getCause();
        }
        catch (Throwable ex) {
            return null;
        }
    }

    /**
     * Reads a failure's message for a report.
     * @param failure a failure
     * @return its {@code getMessage()}, which may be {@code null}; a description of the problem when it throws
     */
    public static @Nullable String messageOf(Throwable failure) {
        try {
            return failure.getMessage();
        }
        catch (Throwable ex) {
            return "(its getMessage() threw " + thrownByUserCode(ex) + ')';
        }
    }

    private static boolean isWrapper(@Nullable Throwable failure) {
        return failure instanceof CompletionException || failure instanceof ExecutionException;
    }

    /** Stands in for a failure that cannot be logged as it is: its description and its stack trace, nothing else. */
    private static final class StandIn extends Throwable {

        private static final long serialVersionUID = 1L;

        private final String description;

        StandIn(Throwable original, @Nullable Throwable cause) {
            super(null, cause, false, true);
            this.description = describe(original);
            try {
                setStackTrace(original.getStackTrace());
            }
            catch (Throwable ex) {
                setStackTrace(new StackTraceElement[0]);
            }
        }

        @Override
        public String getMessage() {
            return this.description;
        }

        @Override
        public String toString() {
            return this.description;
        }
    }
}
