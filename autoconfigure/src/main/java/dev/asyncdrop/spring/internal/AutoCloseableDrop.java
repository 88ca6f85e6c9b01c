package dev.asyncdrop.spring.internal;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

import dev.asyncdrop.AsyncDroppable;

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

    /**
     * Adapts the {@code AutoCloseable} beans of the given names.
     * @param names the bean names ({@code async-drop.adapters.auto-closeables})
     * @param executor runs the blocking closes
     * @return the adapter
     */
    static DropAdapter adapter(Set<String> names, Executor executor) {
        Set<String> adapted = Set.copyOf(names);
        return new DropAdapter() {

            @Override
            public boolean adapts(String name, Object bean) {
                return bean instanceof AutoCloseable && adapted.contains(name);
            }

            @Override
            public AsyncDroppable adapt(String name, Object bean) {
                return new AutoCloseableDrop(name, (AutoCloseable) bean, executor);
            }
        };
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
