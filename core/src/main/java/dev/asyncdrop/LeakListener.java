package dev.asyncdrop;

/**
 * Hears about leaked guards: guards that became unreachable without being dropped or disarmed. Register one with
 * {@link LeakDetection#addListener(LeakListener)}, for example to count leaks in a metric or to fail a test.
 * <p>
 * Called on the leak detector's daemon thread ({@code async-drop-leak-detector}, the thread of the library's
 * {@link java.lang.ref.Cleaner}), never on the thread that created or lost the guard; implementations must be
 * thread-safe and quick, since every later leak report waits for them. Whatever a listener throws, errors such as a
 * failed assertion included, is logged at {@code WARNING} and ignored, as {@code Cleaner} does with its cleaning
 * actions: the leak detector's thread goes on, and the listeners after it still hear of the leak.
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
