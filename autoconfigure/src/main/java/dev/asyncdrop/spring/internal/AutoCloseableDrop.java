package dev.asyncdrop.spring.internal;

import java.util.Set;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

/**
 * Drops an {@link AutoCloseable} bean, such as a connection pool, by closing it on a drop thread, after the beans and
 * executors of its phase. When the drop times out, the closing thread is interrupted. Spring's own destruction of the
 * bean does not close it again (see {@link AdaptedBeanDestruction}). Thread-safe.
 */
final class AutoCloseableDrop extends BlockingDrop {

    private final AutoCloseable closeable;

    AutoCloseableDrop(String name, AutoCloseable closeable, Executor executor) {
        super(name, closeable, DropTier.POOLS, executor);
        this.closeable = closeable;
    }

    /**
     * Adapts the {@code AutoCloseable} beans of the given names.
     * @param names the bean names ({@code async-drop.adapters.auto-closeables})
     * @param executor runs the blocking closes
     * @return the adapter
     */
    static DropAdapter named(Set<String> names, Executor executor) {
        Set<String> adapted = Set.copyOf(names);
        return new Adapter(executor) {

            @Override
            public boolean adaptsType(String name, Class<?> type) {
                return adapted.contains(name) && AutoCloseable.class.isAssignableFrom(type);
            }
        };
    }

    /**
     * Adapts every {@code DataSource} bean that is {@code AutoCloseable}, such as HikariCP's.
     * @param executor runs the blocking closes
     * @return the adapter
     */
    static DropAdapter dataSources(Executor executor) {
        return new Adapter(executor) {

            @Override
            public boolean adaptsType(String name, Class<?> type) {
                return DataSource.class.isAssignableFrom(type) && AutoCloseable.class.isAssignableFrom(type);
            }
        };
    }

    @Override
    protected void runBlocking() throws Exception {
        closeable.close();
    }

    @Override
    String kind() {
        return "AutoCloseable";
    }

    private abstract static class Adapter implements DropAdapter {

        private final Executor executor;

        Adapter(Executor executor) {
            this.executor = executor;
        }

        @Override
        public final boolean adapts(String name, Object bean) {
            return adaptsType(name, bean.getClass());
        }

        @Override
        public final AdaptedDrop adapt(String name, Object bean) {
            return new AutoCloseableDrop(name, (AutoCloseable) bean, executor);
        }

        @Override
        public final boolean replacesSpringClose() {
            return true;
        }
    }
}
