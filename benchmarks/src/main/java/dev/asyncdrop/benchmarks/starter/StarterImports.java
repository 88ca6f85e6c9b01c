package dev.asyncdrop.benchmarks.starter;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.DeferredImportSelector;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports Spring Boot's {@code LifecycleAutoConfiguration} and the auto-configurations async-drop's starter declares,
 * found the way Spring Boot finds them (its {@code AutoConfiguration.imports}) and imported by name, as an
 * application imports them: their conditions are read without loading the classes they name, so that a missing
 * optional dependency (the actuator, here) is a condition that does not match rather than a warning.
 * {@link Excluded} imports the same but the starter's, as an application that excludes them, so that a comparison
 * of the two measures the starter and not the import machinery.
 */
public class StarterImports implements DeferredImportSelector {

    private static final String AUTO_CONFIGURATION_PACKAGE = "dev.asyncdrop.";

    /** Read once: Spring Boot reads the imports once per start for every auto-configuration, with or without ours. */
    private static final List<String> STARTER = List.copyOf(asyncDropAutoConfigurations());

    @Override
    public String[] selectImports(AnnotationMetadata importingClassMetadata) {
        List<String> imports = new ArrayList<>();
        imports.add(LifecycleAutoConfiguration.class.getName());
        imports.addAll(starter());
        return imports.toArray(String[]::new);
    }

    /** @return the starter's auto-configurations to import */
    List<String> starter() {
        return STARTER;
    }

    /**
     * @return the class names of the starter's auto-configurations, in the order they are declared
     * @throws IllegalStateException when there are none on the class path
     */
    public static List<String> asyncDropAutoConfigurations() {
        List<String> found = ImportCandidates.load(AutoConfiguration.class, StarterImports.class.getClassLoader())
                .getCandidates()
                .stream()
                .filter(name -> name.startsWith(AUTO_CONFIGURATION_PACKAGE))
                .toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("No async-drop auto-configuration is on the class path: "
                    + "rebuild the benchmarks jar against a starter that declares one");
        }
        return found;
    }

    /** The same imports with the starter's auto-configurations excluded. */
    public static final class Excluded extends StarterImports {

        @Override
        List<String> starter() {
            return List.of();
        }
    }
}
