package dev.asyncdrop;

/**
 * Hears about leaked guards: guards that became unreachable without being dropped or disarmed. Register one with
 * {@link LeakDetection#addListener(LeakListener)}, for example to count leaks in a metric or to fail a test.
 * <p>
 * Called on the leak detector's daemon thread; implementations must be thread-safe and quick. A listener that
 * throws is logged and ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LeakListener {

    /**
     * Called once for every leaked guard that leak detection tracked.
     * @param report what leaked and where it was created
     */
    void onLeak(LeakReport report);
}
