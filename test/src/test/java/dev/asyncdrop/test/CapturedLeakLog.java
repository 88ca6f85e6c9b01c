package dev.asyncdrop.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.asyncdrop.LeakDetection;

/**
 * Keeps the leak reports that tests provoke out of the build's output: while a test class runs, what leak detection
 * logs goes to {@link #messages()} instead of the console. A test that leaks without {@code @DetectLeaks} waits for
 * its report before it ends, so that nothing is logged after the class restored the logger.
 */
final class CapturedLeakLog implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOGGER = Logger.getLogger(LeakDetection.class.getName());

    private static final List<String> MESSAGES = new CopyOnWriteArrayList<>();

    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            MESSAGES.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        MESSAGES.clear();
        LOGGER.setUseParentHandlers(false);
        LOGGER.addHandler(CAPTURE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LOGGER.removeHandler(CAPTURE);
        LOGGER.setUseParentHandlers(true);
    }

    /** @return what leak detection logged since the test class started */
    static List<String> messages() {
        return List.copyOf(MESSAGES);
    }
}
