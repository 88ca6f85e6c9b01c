package dev.asyncdrop.spring;

/**
 * Lifecycle phases in which beans are dropped. A drop phase runs inside Spring's {@code SmartLifecycle} stop of
 * the same phase number, so it interleaves with the other lifecycle beans: phases stop highest first. Holds only
 * constants, so it is thread-safe.
 *
 * @since 0.1.0
 */
public final class AsyncDropPhases {

    /**
     * The phase of beans that have no phase of their own: {@code Integer.MAX_VALUE - 4096}. Lower than the web
     * server's graceful shutdown ({@code Integer.MAX_VALUE - 1024}) and its stop ({@code Integer.MAX_VALUE - 2048}),
     * so requests in flight complete before anything is dropped; higher than Spring's task executors and schedulers
     * ({@code Integer.MAX_VALUE / 2}), so drops can still use them.
     */
    public static final int DEFAULT = Integer.MAX_VALUE - 4096;

    private AsyncDropPhases() {
    }
}
