package dev.asyncdrop.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps what async-drop and Spring log, such as the leak reports that tests provoke, the lines of a context's drops
 * and the warning of a context that fails to start, out of the build's output: while a test class runs, it goes to
 * {@link #messages()} instead of the console. A test that
 * leaks without {@code @DetectLeaks} waits for its report before it ends, so that nothing is logged after the class
 * restored the logger.
 */
public final class CapturedLog implements BeforeAllCallback, AfterAllCallback {

    // Every logger of the library and of Spring logs through one of these, and holding them keeps their settings
    // from being forgotten.
    private static final List<Logger> LOGGERS = List.of(Logger.getLogger("dev.asyncdrop"),
            Logger.getLogger("org.springframework"));

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
        for (Logger logger : LOGGERS) {
            logger.setUseParentHandlers(false);
            logger.addHandler(CAPTURE);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (Logger logger : LOGGERS) {
            logger.removeHandler(CAPTURE);
            logger.setUseParentHandlers(true);
        }
    }

    /** @return what async-drop and Spring logged since the test class started */
    public static List<String> messages() {
        return List.copyOf(MESSAGES);
    }
}
