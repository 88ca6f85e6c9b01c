package dev.asyncdrop.benchmarks.makespan;

import java.time.Duration;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Spring's {@link SmartLifecycle} stop: one bean per resource, all in the same phase, edges as {@code dependsOn},
 * {@code stop(Runnable)} starting the cleanup and calling back when it has finished. Spring invokes dependents'
 * stop first but does not wait for their callbacks before stopping what they depend on.
 */
final class SpringLifecycleMode implements ShutdownMode {

    /** Long enough that the phase timeout never cuts a measurement short. */
    static final Duration SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public String name() {
        return "spring-lifecycle";
    }

    @Override
    public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        registerPatientLifecycleProcessor(context);
        for (int k = 0; k < graph.size(); k++) {
            TimedCleanup cleanup = cleanups[k];
            String[] dependsOn = graph.dependsOnNames(k);
            context.registerBean(graph.resourceName(k), StoppingResource.class, () -> new StoppingResource(cleanup),
                    definition -> definition.setDependsOn(dependsOn));
        }
        context.refresh();
        return context::close;
    }

    private static void registerPatientLifecycleProcessor(AnnotationConfigApplicationContext context) {
        context.registerBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, DefaultLifecycleProcessor.class,
                () -> {
                    DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
                    processor.setTimeoutPerShutdownPhase(SHUTDOWN_PHASE_TIMEOUT.toMillis());
                    return processor;
                });
    }

    /** A resource stopped asynchronously in the lifecycle processor's shutdown phase. */
    static final class StoppingResource implements SmartLifecycle {

        private final TimedCleanup cleanup;
        private volatile boolean running;

        StoppingResource(TimedCleanup cleanup) {
            this.cleanup = cleanup;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            cleanup.start().join();
            running = false;
        }

        @Override
        public void stop(Runnable callback) {
            cleanup.start().whenComplete((ignored, failure) -> {
                running = false;
                callback.run();
            });
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
