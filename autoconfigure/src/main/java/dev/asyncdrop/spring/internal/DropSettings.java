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
 * @param adapters which beans that are not async-droppable are dropped
 */
public record DropSettings(int defaultPhase, Duration phaseTimeout, Map<Integer, Duration> phaseTimeouts,
        Map<String, ResourceSettings> resources, boolean logReport, AdapterSettings adapters) {

    /**
     * Copies the collections.
     * @param defaultPhase the drop phase of beans that have no phase of their own
     * @param phaseTimeout the timeout of phases that have no timeout of their own
     * @param phaseTimeouts timeouts of individual phases
     * @param resources settings of individual beans, by bean name
     * @param logReport whether to log the shutdown report with its timeline
     * @param adapters which beans that are not async-droppable are dropped
     */
    public DropSettings {
        Objects.requireNonNull(phaseTimeout, "'phaseTimeout' must not be null");
        Objects.requireNonNull(adapters, "'adapters' must not be null");
        phaseTimeouts = Map.copyOf(phaseTimeouts);
        resources = Map.copyOf(resources);
    }

    /** @return names of {@code AutoCloseable} beans to drop by closing them on a drop thread */
    Set<String> autoCloseables() {
        return adapters.autoCloseables();
    }

    /**
     * The longest a bean's drop may take as configured, before its phase starts: its own timeout, or else its
     * phase's.
     * @param name a plan name
     * @return the bound of its drop
     */
    Duration dropTimeout(String name) {
        ResourceSettings resource = resource(name);
        if (resource == null) {
            // Bound from an environment variable, say: the key may differ from the bean name as ResourceKeys allows.
            resource = looseMatch(name);
        }
        if (resource != null && resource.timeout() != null) {
            return resource.timeout();
        }
        int phase = (resource != null && resource.phase() != null) ? resource.phase() : defaultPhase;
        return phaseTimeouts.getOrDefault(phase, phaseTimeout);
    }

    /** @return the settings of the one key that matches a name loosely, or {@code null} if none or several do */
    private @Nullable ResourceSettings looseMatch(String name) {
        String wanted = ResourceKeys.loose(name);
        ResourceSettings match = null;
        for (Map.Entry<String, ResourceSettings> entry : resources.entrySet()) {
            if (ResourceKeys.loose(entry.getKey()).equals(wanted)) {
                if (match != null) {
                    return null;
                }
                match = entry.getValue();
            }
        }
        return match;
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
     * Which beans that do not implement {@code AsyncDroppable} are dropped, under {@code async-drop.adapters}.
     *
     * @param taskExecutors whether to drop Spring's task executors and schedulers
     * @param executorServices whether to drop {@code ExecutorService} beans
     * @param dataSources whether to drop {@code DataSource} beans that are {@code AutoCloseable}
     * @param autoCloseables names of {@code AutoCloseable} beans to drop by closing them on a drop thread
     */
    public record AdapterSettings(boolean taskExecutors, boolean executorServices, boolean dataSources,
            Set<String> autoCloseables) {

        /** The defaults: Spring's task executors and schedulers only. */
        public static final AdapterSettings DEFAULTS = new AdapterSettings(true, false, false, Set.of());

        /**
         * Copies the set.
         * @param taskExecutors whether to drop Spring's task executors and schedulers
         * @param executorServices whether to drop {@code ExecutorService} beans
         * @param dataSources whether to drop {@code DataSource} beans that are {@code AutoCloseable}
         * @param autoCloseables names of {@code AutoCloseable} beans to drop by closing them on a drop thread
         */
        public AdapterSettings {
            autoCloseables = Set.copyOf(autoCloseables);
        }
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
