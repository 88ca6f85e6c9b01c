package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.AsyncDropPhases;
import dev.asyncdrop.spring.report.ShutdownReportStore;

/**
 * Configuration properties for dropping async-droppable beans at shutdown. Invalid values (a negative or zero
 * timeout, a report count below one) are rejected when they are bound, so the application fails to start. Not
 * thread-safe: bound once at startup.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("async-drop")
public class AsyncDropProperties {

    /**
     * Whether to drop async-droppable beans when the application context closes, and to provide an AsyncDropScope
     * bean.
     */
    private boolean enabled = true;

    /**
     * Lifecycle phase in which beans without a phase of their own are dropped. Each drop phase runs inside Spring's
     * SmartLifecycle shutdown of the same phase, highest first. The default runs after the web server's graceful
     * shutdown and before task executors stop.
     */
    private int phase = AsyncDropPhases.DEFAULT;

    /**
     * Maximum time to wait for the drops of one phase. When it passes, drops still running time out and beans not
     * yet started are skipped. Spring's lifecycle shutdown waits for a drop phase this long, plus a second for its
     * log and report, whatever 'spring.lifecycle.timeout-per-shutdown-phase' says.
     */
    private Duration timeoutPerPhase = DropPlan.DEFAULT_PHASE_TIMEOUT;

    /**
     * Longest the whole shutdown may take, such as Kubernetes' terminationGracePeriodSeconds minus any preStop
     * delay. When set, startup fails if the worst case of the shutdown (the timeouts of every lifecycle phase Spring
     * waits for, the web server's graceful shutdown and the drop phases included) exceeds it.
     */
    private @Nullable Duration shutdownBudget;

    /**
     * Settings of individual drop phases, by phase number: 'async-drop.phases.<n>.timeout'.
     */
    private final Map<Integer, Phase> phases = new LinkedHashMap<>();

    /**
     * Settings of individual beans, by bean name (any bean that is dropped, adapted ones included):
     * 'async-drop.resources.<bean>.phase', '.timeout' and '.depends-on'. Names match as loosely as property names:
     * ignoring case, '-' and '_', so that an environment variable such as ASYNCDROP_RESOURCES_MYPOOL_TIMEOUT reaches
     * bean 'myPool'.
     */
    private final Map<String, Resource> resources = new LinkedHashMap<>();

    private final LeakDetectionSettings leakDetection = new LeakDetectionSettings();

    private final Report report = new Report();

    private final Adapters adapters = new Adapters();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getPhase() {
        return this.phase;
    }

    public void setPhase(int phase) {
        this.phase = phase;
    }

    public Duration getTimeoutPerPhase() {
        return this.timeoutPerPhase;
    }

    public void setTimeoutPerPhase(Duration timeoutPerPhase) {
        this.timeoutPerPhase = requirePositive(timeoutPerPhase, "timeoutPerPhase");
    }

    public @Nullable Duration getShutdownBudget() {
        return this.shutdownBudget;
    }

    public void setShutdownBudget(@Nullable Duration shutdownBudget) {
        this.shutdownBudget = (shutdownBudget != null) ? requirePositive(shutdownBudget, "shutdownBudget") : null;
    }

    public Map<Integer, Phase> getPhases() {
        return this.phases;
    }

    public Map<String, Resource> getResources() {
        return this.resources;
    }

    public LeakDetectionSettings getLeakDetection() {
        return this.leakDetection;
    }

    public Report getReport() {
        return this.report;
    }

    public Adapters getAdapters() {
        return this.adapters;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Assert.notNull(duration, () -> "'" + name + "' must not be null");
        Assert.isTrue(!duration.isNegative() && !duration.isZero(),
                () -> "'" + name + "' must be positive, but was " + duration);
        return duration;
    }

    /**
     * Settings of one drop phase.
     * Not thread-safe: bound once at startup.
     *
     * @since 0.1.0
     */
    public static class Phase {

        /**
         * Maximum time to wait for the drops of this phase. Defaults to 'async-drop.timeout-per-phase'.
         */
        private @Nullable Duration timeout;

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = (timeout != null) ? requirePositive(timeout, "timeout") : null;
        }
    }

    /**
     * Settings of one bean.
     * Not thread-safe: bound once at startup.
     *
     * @since 0.1.0
     */
    public static class Resource {

        /**
         * Drop phase of this bean. Defaults to 'async-drop.phase'.
         */
        private @Nullable Integer phase;

        /**
         * Maximum time to wait for this bean's drop before it times out. Defaults to no limit other than its
         * phase's timeout; for the AsyncDropScope bean, which every singleton of its phase waits for, to a quarter
         * of its phase's timeout.
         */
        private @Nullable Duration timeout;

        /**
         * Names of beans this bean uses while it is dropped, in addition to those injected into it: they are
         * dropped after it.
         */
        private List<String> dependsOn = new ArrayList<>();

        public @Nullable Integer getPhase() {
            return this.phase;
        }

        public void setPhase(@Nullable Integer phase) {
            this.phase = phase;
        }

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = (timeout != null) ? requirePositive(timeout, "timeout") : null;
        }

        public List<String> getDependsOn() {
            return this.dependsOn;
        }

        public void setDependsOn(List<String> dependsOn) {
            this.dependsOn = dependsOn;
        }
    }

    /**
     * Settings of {@link LeakDetection}, under {@code async-drop.leak-detection}.
     * Not thread-safe: bound once at startup.
     *
     * @since 0.1.0
     */
    public static class LeakDetectionSettings {

        /**
         * How many guards leak detection watches. The level is JVM-wide: it is set before the context creates its
         * beans and the previous level is restored when the context is closed. When not set, the level stays as it
         * is (the 'asyncdrop.leakDetection.level' system property, or sampled).
         */
        private LeakDetection.@Nullable Level level;

        public LeakDetection.@Nullable Level getLevel() {
            return this.level;
        }

        public void setLevel(LeakDetection.@Nullable Level level) {
            this.level = level;
        }
    }

    /**
     * Shutdown report settings.
     * Not thread-safe: bound once at startup.
     *
     * @since 0.1.0
     */
    public static class Report {

        /**
         * Whether to log the report of the shutdown drops, with a timeline, at INFO level.
         */
        private boolean log = true;

        /**
         * Directory to write the report of each shutdown to, read back at the next start. When not set, no file
         * is written.
         */
        private @Nullable Path directory;

        /**
         * Number of report files to keep in the directory.
         */
        private int keep = ShutdownReportStore.DEFAULT_KEEP;

        public boolean isLog() {
            return this.log;
        }

        public void setLog(boolean log) {
            this.log = log;
        }

        public @Nullable Path getDirectory() {
            return this.directory;
        }

        public void setDirectory(@Nullable Path directory) {
            this.directory = directory;
        }

        public int getKeep() {
            return this.keep;
        }

        public void setKeep(int keep) {
            Assert.isTrue(keep >= 1, () -> "'keep' must be at least 1, but was " + keep);
            this.keep = keep;
        }
    }

    /**
     * Settings of the adapters that drop beans which do not implement AsyncDroppable.
     * Not thread-safe: bound once at startup.
     *
     * @since 0.1.0
     */
    public static class Adapters {

        /**
         * Whether to drop Spring's task executors and schedulers (every ThreadPoolTaskExecutor,
         * ThreadPoolTaskScheduler and SimpleAsyncTaskExecutor bean, such as Spring Boot's applicationTaskExecutor and
         * taskScheduler): they accept tasks until their own drop, which comes after the beans of their phase that are
         * async-droppable, lets queued and running tasks finish, cancels delayed and periodic tasks, and shuts them
         * down now when it times out. An executor's own await-termination period is its drop timeout unless
         * 'async-drop.resources.<bean>.timeout' is set. An executor set to accept tasks after the context closes is
         * left to Spring.
         */
        private boolean taskExecutors = true;

        /**
         * Whether to drop ExecutorService beans the same way: shut down, let queued and running tasks finish,
         * cancel delayed and periodic tasks, wait for their termination without blocking other drops, and shut
         * down now when the drop times out.
         */
        private boolean executorServices;

        /**
         * Whether to drop DataSource beans that are AutoCloseable, such as HikariCP's: closed on a drop thread,
         * after the beans and executors of their phase, bounded by the timeouts.
         */
        private boolean dataSources;

        /**
         * Names of AutoCloseable beans to drop, such as connection pools: their blocking close() runs on a drop
         * thread, after the beans that use them, bounded by the timeouts.
         */
        private List<String> autoCloseables = new ArrayList<>();

        public boolean isTaskExecutors() {
            return this.taskExecutors;
        }

        public void setTaskExecutors(boolean taskExecutors) {
            this.taskExecutors = taskExecutors;
        }

        public boolean isExecutorServices() {
            return this.executorServices;
        }

        public void setExecutorServices(boolean executorServices) {
            this.executorServices = executorServices;
        }

        public boolean isDataSources() {
            return this.dataSources;
        }

        public void setDataSources(boolean dataSources) {
            this.dataSources = dataSources;
        }

        public List<String> getAutoCloseables() {
            return this.autoCloseables;
        }

        public void setAutoCloseables(List<String> autoCloseables) {
            this.autoCloseables = autoCloseables;
        }
    }
}
