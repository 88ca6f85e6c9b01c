package dev.asyncdrop.test;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.LeakReport;
import dev.asyncdrop.internal.GuardWatch;
import dev.asyncdrop.internal.GuardWatch.WatchedGuard;

/**
 * The extension behind {@link DetectLeaks}: watches the guards created during each test and fails the test when
 * one of them leaked. Stateless; each test's watch lives in its extension context's store.
 */
final class DetectLeaksExtension implements BeforeEachCallback, AfterEachCallback {

    private static final Duration SWEEP_TIMEOUT = Duration.ofSeconds(10);

    private static final Namespace NAMESPACE = Namespace.create(DetectLeaksExtension.class);

    private final LeakSweep sweep = LeakSweep.systemGc(SWEEP_TIMEOUT);

    @Override
    public void beforeEach(ExtensionContext context) {
        LeakDetection.Level previous = LeakDetection.level();
        LeakDetection.setLevel(LeakDetection.Level.PARANOID);
        context.getStore(NAMESPACE).put(WatchedTest.class, new WatchedTest(GuardWatch.start(), previous));
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        WatchedTest test = context.getStore(NAMESPACE).remove(WatchedTest.class, WatchedTest.class);
        if (test == null) {
            return;  // beforeEach never ran for this test: an extension before it failed
        }
        try {
            test.watch().close();
            LeakSweep.Outcome outcome = this.sweep.sweep(test.watch());
            if (!outcome.isClean()) {
                throw new AssertionError(LeakMessage.describe(context.getDisplayName(), topLevelClassName(context),
                        outcome, this.sweep.timeout()));
            }
        }
        finally {
            LeakDetection.setLevel(test.previousLevel());
        }
    }

    private static String topLevelClassName(ExtensionContext context) {
        String name = context.getRequiredTestClass().getName();
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    private record WatchedTest(GuardWatch watch, LeakDetection.Level previousLevel) {
    }

    /** Writes the failure of a test that leaked: what leaked, where it was created, what to do. */
    static final class LeakMessage {

        private static final String NL = System.lineSeparator();

        private LeakMessage() {
        }

        static String describe(String test, String testClassName, LeakSweep.Outcome outcome, Duration timeout) {
            StringBuilder message = new StringBuilder(512);
            int leaked = outcome.leaks().size() + outcome.unreported().size();
            if (leaked > 0) {
                message.append(test).append(" leaked ").append(leaked)
                        .append(leaked == 1 ? " AsyncDropGuard" : " AsyncDropGuards")
                        .append(": created during the test and garbage-collected without being dropped or disarmed, "
                                + "so the asynchronous cleanup never ran. Drop a guard with asyncDrop() or close(), "
                                + "pass it to AsyncDrop.using, or hand its obligation on with "
                                + "unsafeIntoInnerDontDrop().");
                int index = 1;
                for (LeakReport leak : outcome.leaks()) {
                    appendLeak(message.append(NL).append(index++).append(". "), leak, testClassName);
                }
                for (WatchedGuard guard : outcome.unreported()) {
                    message.append(NL).append(index++).append(". ").append(guard.resourceType().getName())
                            .append(": its leak report, with the creation stack, did not arrive within ")
                            .append(seconds(timeout));
                }
            }
            List<WatchedGuard> unknown = outcome.uncollectable();
            if (!unknown.isEmpty()) {
                if (leaked > 0) {
                    message.append(NL);
                }
                message.append(test).append(" left ").append(unknown.size()).append(unknown.size() == 1
                        ? " AsyncDropGuard" : " AsyncDropGuards").append(" undropped (")
                        .append(unknown.stream().map(guard -> guard.resourceType().getName()).distinct().toList())
                        .append(") and @DetectLeaks cannot tell whether they leaked: System.gc() ran no garbage "
                                + "collection within ").append(seconds(timeout))
                        .append(". Remove -XX:+DisableExplicitGC from the options of the test JVM.");
            }
            return message.toString();
        }

        private static String seconds(Duration duration) {
            return duration.toMillis() / 1000.0 + " s";
        }

        private static void appendLeak(StringBuilder message, LeakReport leak, String testClassName) {
            message.append(leak.resourceType().getName()).append(" (").append(leak.description()).append(')');
            StackTraceElement[] stack = leak.creationStack().orElse(null);
            if (stack == null) {
                return;
            }
            message.append(", created at");
            int last = lastFrameOf(stack, testClassName);
            for (int i = 0; i <= last; i++) {
                message.append(NL).append("\tat ").append(stack[i]);
            }
            if (last < stack.length - 1) {
                message.append(NL).append("\t(").append(stack.length - 1 - last)
                        .append(" frames below the test class omitted)");
            }
        }

        // The frames below the test class are the test engine's: they say nothing about the leak.
        private static int lastFrameOf(StackTraceElement[] stack, String testClassName) {
            for (int i = stack.length - 1; i >= 0; i--) {
                String frameClass = stack[i].getClassName();
                if (frameClass.equals(testClassName) || frameClass.startsWith(testClassName + '$')) {
                    return i;
                }
            }
            return stack.length - 1;
        }
    }
}
