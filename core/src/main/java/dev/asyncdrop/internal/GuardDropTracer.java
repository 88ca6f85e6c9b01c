package dev.asyncdrop.internal;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Hears a guard's drop when it starts, where a {@code GuardDropListener} hears it only once it ended: what traces a
 * drop as it runs (an observation, a span) needs both ends. Registered with
 * {@link GuardDropListeners#addTracer(GuardDropTracer)}. Implementations are thread-safe, quick and do not throw:
 * a tracer that throws is ignored, as a listener is.
 */
@FunctionalInterface
public interface GuardDropTracer {

    /**
     * A guard's drop starts on this thread.
     * @param resourceType the class of the resource being dropped
     * @return what to call once the drop ended, with its failure or {@code null} when it succeeded; called once, on
     * whichever thread completes the drop
     */
    Consumer<@Nullable Throwable> started(Class<?> resourceType);
}
