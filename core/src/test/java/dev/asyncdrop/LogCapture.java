package dev.asyncdrop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what the library logs under the loggers of some classes instead of printing it, so that a test that
 * provokes a warning, a failure log or a leak report asserts on it and the build output stays quiet. The library
 * logs through {@link System.Logger}, which writes to {@code java.util.logging} when no other backend is installed,
 * as in these tests.
 * <p>
 * Register it with {@code @RegisterExtension}: as a {@code static} field it captures for the whole test class (for
 * logs that arrive after the test that provoked them, such as leak reports from the leak detector's thread), as an
 * instance field for each test. Records are cleared before each test. Thread-safe.
 */
public final class LogCapture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<String> names;

    // Loggers are held weakly by the log manager: a strong reference keeps the handler and the settings in place.
    private final List<Logger> loggers = new ArrayList<>();

    private final List<Boolean> usedParentHandlers = new ArrayList<>();

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LogCapture.this.records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private boolean classWide;

    private LogCapture(List<String> names) {
        this.names = names;
    }

    /**
     * @param sources the classes whose loggers to capture (the library names each logger after its class)
     * @return a capture of those loggers
     */
    public static LogCapture of(Class<?>... sources) {
        List<String> names = new ArrayList<>();
        for (Class<?> source : sources) {
            names.add(source.getName());
        }
        return new LogCapture(names);
    }

    /**
     * @param names the names of the loggers to capture, for classes a test cannot reach
     * @return a capture of those loggers
     */
    public static LogCapture ofLoggers(String... names) {
        return new LogCapture(List.of(names));
    }

    /** @return what was logged since the current test started, in order */
    public List<LogRecord> records() {
        return List.copyOf(this.records);
    }

    /**
     * @param level a level
     * @return what was logged at that level since the current test started
     */
    public List<LogRecord> records(Level level) {
        return this.records.stream().filter(record -> record.getLevel().equals(level)).toList();
    }

    /**
     * @param text a piece of a message
     * @return whether a message logged since the current test started contains it
     */
    public boolean contains(String text) {
        return this.records.stream().anyMatch(record -> record.getMessage().contains(text));
    }

    /**
     * Waits until a message containing the text has been logged.
     * @param text a piece of a message
     * @return the first record whose message contains it
     */
    public LogRecord await(String text) {
        Awaitility.await().atMost(PATIENCE).until(() -> contains(text));
        return this.records.stream().filter(record -> record.getMessage().contains(text)).findFirst().orElseThrow();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.classWide = true;
        install();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!this.classWide) {
            install();
        }
        this.records.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!this.classWide) {
            uninstall();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        uninstall();
    }

    private void install() {
        for (String name : this.names) {
            Logger logger = Logger.getLogger(name);
            this.loggers.add(logger);
            this.usedParentHandlers.add(logger.getUseParentHandlers());
            logger.setUseParentHandlers(false);
            logger.addHandler(this.handler);
        }
    }

    private void uninstall() {
        for (int i = 0; i < this.loggers.size(); i++) {
            Logger logger = this.loggers.get(i);
            logger.removeHandler(this.handler);
            logger.setUseParentHandlers(this.usedParentHandlers.get(i));
        }
        this.loggers.clear();
        this.usedParentHandlers.clear();
    }
}
