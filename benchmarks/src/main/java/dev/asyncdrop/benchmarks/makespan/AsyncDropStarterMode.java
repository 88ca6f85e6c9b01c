package dev.asyncdrop.benchmarks.makespan;

import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * async-drop's starter: one {@code AsyncDroppable} bean per resource, edges as {@code dependsOn}, dropped by the
 * starter's auto-configuration when the context closes.
 */
final class AsyncDropStarterMode implements ShutdownMode {

    private static final String AUTO_CONFIGURATION_PACKAGE = "dev.asyncdrop.";

    private final List<Class<?>> autoConfigurations;

    AsyncDropStarterMode() {
        this.autoConfigurations = asyncDropAutoConfigurations();
    }

    /**
     * The auto-configurations the starter declares, found the way Spring Boot finds them so that the benchmark runs
     * exactly what an application gets.
     */
    private static List<Class<?>> asyncDropAutoConfigurations() {
        ClassLoader classLoader = AsyncDropStarterMode.class.getClassLoader();
        List<Class<?>> found = ImportCandidates.load(AutoConfiguration.class, classLoader).getCandidates().stream()
                .filter(name -> name.startsWith(AUTO_CONFIGURATION_PACKAGE))
                .<Class<?>>map(name -> ClassUtils.resolveClassName(name, classLoader))
                .toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("No async-drop auto-configuration is on the class path: "
                    + "rebuild the benchmarks jar against a starter that declares one");
        }
        return found;
    }

    @Override
    public String name() {
        return "async-drop";
    }

    @Override
    public Shutdown prepare(LayeredGraph graph, TimedCleanup[] cleanups) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", Map.of(
                "async-drop.timeout-per-phase", "60s",
                "async-drop.report.log", "false",
                "spring.lifecycle.timeout-per-shutdown-phase",
                SpringLifecycleMode.SHUTDOWN_PHASE_TIMEOUT.toSeconds() + "s")));
        SpringLifecycleMode.registerPatientLifecycleProcessor(context);
        for (int k = 0; k < graph.size(); k++) {
            TimedCleanup cleanup = cleanups[k];
            String[] dependsOn = graph.dependsOnNames(k);
            context.registerBean(graph.resourceName(k), DroppingResource.class, () -> new DroppingResource(cleanup),
                    definition -> definition.setDependsOn(dependsOn));
        }
        context.register(autoConfigurations.toArray(Class<?>[]::new));
        context.refresh();
        return context::close;
    }
}
