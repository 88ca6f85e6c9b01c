package dev.asyncdrop.benchmarks.makespan;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Spring's own destroy phase: one {@link DisposableBean} per resource whose {@code destroy()} waits for its cleanup,
 * edges as {@code dependsOn}. Spring destroys dependents first, one bean at a time.
 */
final class SpringDestroyMode implements ShutdownMode {

    @Override
    public String name() {
        return "spring-destroy";
    }

    @Override
    public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        for (int k = 0; k < graph.size(); k++) {
            TimedCleanup cleanup = cleanups[k];
            String[] dependsOn = graph.dependsOnNames(k);
            context.registerBean(graph.resourceName(k), DestroyWaitingResource.class,
                    () -> new DestroyWaitingResource(cleanup), definition -> definition.setDependsOn(dependsOn));
        }
        context.refresh();
        return context::close;
    }

    /** A resource whose synchronous destroy method blocks until the asynchronous cleanup has finished. */
    static final class DestroyWaitingResource implements DisposableBean {

        private final TimedCleanup cleanup;

        DestroyWaitingResource(TimedCleanup cleanup) {
            this.cleanup = cleanup;
        }

        @Override
        public void destroy() {
            cleanup.start().join();
        }
    }
}
