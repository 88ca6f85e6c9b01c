package dev.asyncdrop;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Turns leak detection off for a test class and restores the level afterwards: for the Lincheck models, where
 * sampling draws random numbers that would make the model checker's replays diverge. Use with
 * {@code @ExtendWith(WithoutLeakDetection.class)}.
 */
public final class WithoutLeakDetection implements BeforeAllCallback, AfterAllCallback {

    private static final Namespace NAMESPACE = Namespace.create(WithoutLeakDetection.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(LeakDetection.Level.class, LeakDetection.level());
        LeakDetection.setLevel(LeakDetection.Level.DISABLED);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakDetection.setLevel(context.getStore(NAMESPACE).get(LeakDetection.Level.class, LeakDetection.Level.class));
    }
}
