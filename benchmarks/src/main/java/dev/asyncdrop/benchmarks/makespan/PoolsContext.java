package dev.asyncdrop.benchmarks.makespan;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.benchmarks.BenchmarkDatabase;

/**
 * The pools of the {@code +pools} rows: Spring Boot's {@code applicationTaskExecutor} (from its task execution
 * auto-configuration, as an application has it) and a HikariCP pool on an in-memory H2 database. Each resource's
 * cleanup ends by handing a write of its own row to the executor, which writes it through the pool, as a
 * write-behind buffer hands over its last batch: the executor must drop after the resources, and the pool after the
 * executor's tasks. Nothing declares that: the resources look the executor up when they are created, as code that
 * submits {@code @Async} work does.
 */
final class PoolsContext {

    private final BenchmarkDatabase database = new BenchmarkDatabase("makespan");

    /**
     * Creates a context with the pools and a resource bean per resource of the graph.
     * @param graph the graph
     * @param cleanups the cleanup of each resource
     * @param dropping whether the resources are {@code AsyncDroppable} (else {@code DisposableBean}s whose destroy
     * waits for their cleanup)
     * @param properties the environment's properties
     * @param customizer registers further beans and configuration classes, such as the starter's imports
     * @return the refreshed context, with the table to write to created
     */
    AnnotationConfigApplicationContext create(LayeredGraph graph, TimedCleanup[] cleanups, boolean dropping,
            Map<String, Object> properties, Consumer<AnnotationConfigApplicationContext> customizer) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        Map<String, Object> environment = new HashMap<>(properties);
        environment.put("spring.lifecycle.timeout-per-shutdown-phase",
                SpringLifecycleMode.SHUTDOWN_PHASE_TIMEOUT.toSeconds() + "s");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", environment));
        context.registerBean("dataSource", HikariDataSource.class, database::newPool);
        context.registerBean("jdbcTemplate", JdbcTemplate.class,
                () -> new JdbcTemplate(context.getBean("dataSource", HikariDataSource.class)));
        for (int k = 0; k < graph.size(); k++) {
            TimedCleanup cleanup = cleanups[k];
            String[] dependsOn = graph.dependsOnNames(k);
            if (dropping) {
                context.registerBean(graph.resourceName(k), WritingResource.class,
                        () -> new WritingResource(cleanup, executor(context), jdbc(context)),
                        definition -> definition.setDependsOn(dependsOn));
            }
            else {
                context.registerBean(graph.resourceName(k), DestroyWritingResource.class,
                        () -> new DestroyWritingResource(cleanup, executor(context), jdbc(context)),
                        definition -> definition.setDependsOn(dependsOn));
            }
        }
        context.register(LifecycleAutoConfiguration.class, TaskExecutionAutoConfiguration.class);
        customizer.accept(context);
        context.refresh();
        context.getBean(JdbcTemplate.class).execute("create table writes (resource int)");
        return context;
    }

    /**
     * Counts the rows written in the last run, then empties the database for the next.
     * @return the rows written
     * @throws SQLException when the database cannot be read
     */
    int writesAndReset() throws SQLException {
        return database.rowsAndReset("writes");
    }

    private static Executor executor(AnnotationConfigApplicationContext context) {
        return context.getBean("applicationTaskExecutor", Executor.class);
    }

    private static JdbcTemplate jdbc(AnnotationConfigApplicationContext context) {
        return context.getBean(JdbcTemplate.class);
    }

    private static void write(JdbcTemplate jdbc, TimedCleanup cleanup) {
        jdbc.update("insert into writes (resource) values (?)", cleanup.resource());
    }

    /** A resource whose drop ends by handing its write to the executor. */
    record WritingResource(TimedCleanup cleanup, Executor executor, JdbcTemplate jdbc) implements AsyncDroppable {

        @Override
        public CompletionStage<Void> asyncDrop() {
            return cleanup.startThen(executor, () -> write(jdbc, cleanup));
        }
    }

    /** The same resource for Spring's destroy phase: its destroy method waits for the write. */
    record DestroyWritingResource(TimedCleanup cleanup, Executor executor, JdbcTemplate jdbc)
            implements DisposableBean {

        @Override
        public void destroy() {
            // A write the executor or the pool refused is counted as missing, not thrown into Spring's log.
            cleanup.startThen(executor, () -> write(jdbc, cleanup)).handle((ignored, failure) -> null).join();
        }
    }
}
