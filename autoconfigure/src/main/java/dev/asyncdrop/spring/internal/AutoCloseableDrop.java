package dev.asyncdrop.spring.internal;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Drops an {@link AutoCloseable} bean, such as a connection pool, by closing it on a drop thread. When the drop
 * times out, the closing thread is interrupted. Spring's own destroy call that follows, if any, closes the bean a
 * second time; {@code AutoCloseable} implementations are expected to tolerate that, as its contract recommends.
 * Thread-safe.
 */
final class AutoCloseableDrop extends BlockingDrop {

    private final String beanName;

    private final AutoCloseable closeable;

    AutoCloseableDrop(String beanName, AutoCloseable closeable, Executor executor) {
        super(executor);
        this.beanName = Objects.requireNonNull(beanName, "'beanName' must not be null");
        this.closeable = Objects.requireNonNull(closeable, "'closeable' must not be null");
    }

    @Override
    protected void runBlocking() throws Exception {
        closeable.close();
    }

    @Override
    public String toString() {
        return "AutoCloseable bean '" + beanName + "' (" + closeable.getClass().getName() + ")";
    }
}
