package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link ContextDropCoordinator} needs to know from the configuration, independent of how it was bound.
 * Immutable and thread-safe.
 *
 * @param defaultPhase the drop phase of beans that have no phase of their own
 * @param phaseTimeout the timeout of phases that have no timeout of their own
 * @param phaseTimeouts timeouts of individual phases
 * @param resources settings of individual beans, by bean name as configured (see {@link ResourceKeys})
 * @param logReport whether to log the shutdown report with its timeline
 * @param adaptExecutorServices whether to drop {@code ExecutorService} beans that are not async-droppable
 * @param autoCloseables names of {@code AutoCloseable} beans to drop by closing them on a drop thread
 */
public record DropSettings(int defaultPhase, Duration phaseTimeout, Map<Integer, Duration> phaseTimeouts,
        Map<String, ResourceSettings> resources, boolean logReport, boolean adaptExecutorServices,
        Set<String> autoCloseables) {

    /**
     * Copies the collections.
     * @param defaultPhase the drop phase of beans that have no phase of their own
     * @param phaseTimeout the timeout of phases that have no timeout of their own
     * @param phaseTimeouts timeouts of individual phases
     * @param resources settings of individual beans, by bean name
     * @param logReport whether to log the shutdown report with its timeline
     * @param adaptExecutorServices whether to drop {@code ExecutorService} beans that are not async-droppable
     * @param autoCloseables names of {@code AutoCloseable} beans to drop by closing them on a drop thread
     */
    public DropSettings {
        Objects.requireNonNull(phaseTimeout, "'phaseTimeout' must not be null");
        phaseTimeouts = Map.copyOf(phaseTimeouts);
        resources = Map.copyOf(resources);
        autoCloseables = Set.copyOf(autoCloseables);
    }

    /**
     * @param name a key of {@code async-drop.resources}, as bound
     * @return the settings under that exact key, or {@code null} if there are none; a bean's own settings may be
     * under a key that differs from its name in case, {@code -} or {@code _} (see {@link ResourceKeys})
     */
    @Nullable ResourceSettings resource(String name) {
        return resources.get(name);
    }

    /**
     * @param phase a drop phase
     * @return its timeout: its own, or the default
     */
    Duration timeoutOfPhase(int phase) {
        return phaseTimeouts.getOrDefault(phase, phaseTimeout);
    }

    /**
     * Settings of one bean.
     *
     * @param phase its drop phase, or {@code null} for the default phase
     * @param timeout its own drop timeout, or {@code null} for none
     * @param dependsOn beans it uses while it is dropped, in addition to those the bean factory knows
     */
    public record ResourceSettings(@Nullable Integer phase, @Nullable Duration timeout, List<String> dependsOn) {

        /**
         * Copies the list.
         * @param phase its drop phase, or {@code null} for the default phase
         * @param timeout its own drop timeout, or {@code null} for none
         * @param dependsOn beans it uses while it is dropped
         */
        public ResourceSettings {
            dependsOn = List.copyOf(dependsOn);
        }
    }
}
