package dev.asyncdrop.spring.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.util.ReflectionUtils;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.PlannedResource;
import dev.asyncdrop.spring.BeanDropCoordinator;
import dev.asyncdrop.spring.ShutdownBudgetExceededException;
import dev.asyncdrop.spring.ShutdownWorstCase;
import dev.asyncdrop.spring.ShutdownWorstCase.PhaseWait;

/**
 * Makes Spring's lifecycle shutdown and the drops agree on time: hands each drop phase's timeout to Spring's
 * {@link DefaultLifecycleProcessor}, so that Spring waits for a drop phase at least as long as its drops may take
 * (plus a margin for its log and report): longer only if it was set to wait longer for that phase already (a timeout
 * given for the phase, or its timeout per phase when other lifecycle beans stop there), which is never shortened. It
 * computes the worst case of the whole shutdown, which must fit
 * {@code async-drop.shutdown-budget} when one is set. Thread-safe.
 */
final class ShutdownTimeouts {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    /** Added to a drop phase's timeout for Spring: the phase ends after its log, and the last one after the report. */
    static final Duration REPORT_MARGIN = Duration.ofSeconds(1);

    private static final String SPRING_TIMEOUT_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

    private final DropSettings settings;

    private volatile @Nullable Duration budget;

    private volatile Duration springPhaseTimeout;

    private volatile @Nullable DropPlan unapplied;

    private volatile @Nullable ShutdownWorstCase worstCase;

    /**
     * @param settings the drop configuration, which says which property sets each drop phase's timeout
     * @param springPhaseTimeout Spring's timeout per shutdown phase, until the lifecycle processor says otherwise
     */
    ShutdownTimeouts(DropSettings settings, Duration springPhaseTimeout) {
        this.settings = settings;
        this.springPhaseTimeout = springPhaseTimeout;
    }

    void setBudget(@Nullable Duration budget) {
        this.budget = budget;
    }

    void setSpringPhaseTimeout(Duration springPhaseTimeout) {
        this.springPhaseTimeout = springPhaseTimeout;
    }

    /** @return the worst case computed when the drops were planned, if they were */
    @Nullable ShutdownWorstCase worstCase() {
        return worstCase;
    }

    /**
     * Hands the plan's phase timeouts to the lifecycle processor (now, or once the context has created it) and
     * computes the shutdown's worst case.
     * @param plan the plan
     * @param beanFactory the context's bean factory, with its lifecycle beans and drop phase lifecycles
     * @return the worst case
     * @throws ShutdownBudgetExceededException when a budget is set and the worst case exceeds it
     */
    ShutdownWorstCase planned(DropPlan plan, ConfigurableListableBeanFactory beanFactory) {
        LifecycleProcessor processor = lifecycleProcessor(beanFactory);
        Map<Integer, Duration> springTimeouts = new LinkedHashMap<>();
        Duration springDefault = springPhaseTimeout;
        if (processor instanceof DefaultLifecycleProcessor defaultProcessor) {
            // Read before ours are handed over: a timeout already given for a drop phase is never shortened.
            springDefault = readTimeouts(defaultProcessor, springTimeouts);
        }
        Map<Integer, List<String>> lifecycleBeans = lifecycleBeansByPhase(beanFactory);
        if (processor != null) {
            apply(plan, processor, springTimeouts, lifecycleBeans.keySet(), springDefault);
        }
        else {
            // Without a lifecycle processor bean the context creates its own once the singletons exist.
            this.unapplied = plan;
        }
        ShutdownWorstCase computed = compute(plan, lifecycleBeans, springDefault, springTimeouts);
        this.worstCase = computed;
        if (computed.exceedsBudget()) {
            throw new ShutdownBudgetExceededException(ShutdownBudgetText.description(computed),
                    ShutdownBudgetText.action(computed), computed);
        }
        return computed;
    }

    /**
     * The context has refreshed: hands the plan's phase timeouts to the lifecycle processor it created, if that was
     * left to do.
     * @param beanFactory the context's bean factory
     */
    void refreshed(ConfigurableListableBeanFactory beanFactory) {
        DropPlan plan = this.unapplied;
        LifecycleProcessor processor = (plan != null) ? lifecycleProcessor(beanFactory) : null;
        if (plan != null && processor != null) {
            this.unapplied = null;
            Map<Integer, Duration> springTimeouts = new LinkedHashMap<>();
            Duration springDefault = springPhaseTimeout;
            if (processor instanceof DefaultLifecycleProcessor defaultProcessor) {
                springDefault = readTimeouts(defaultProcessor, springTimeouts);
            }
            apply(plan, processor, springTimeouts, lifecycleBeansByPhase(beanFactory).keySet(), springDefault);
        }
    }

    private void apply(DropPlan plan, LifecycleProcessor processor, Map<Integer, Duration> springTimeouts,
            Set<Integer> lifecyclePhases, Duration springDefault) {
        if (processor instanceof DefaultLifecycleProcessor defaultProcessor) {
            for (int phase : plan.phases()) {
                Duration wait = longer(springWait(plan, phase),
                        configured(phase, springTimeouts, lifecyclePhases, springDefault));
                defaultProcessor.setTimeoutForShutdownPhase(phase, wait.toMillis());
            }
            return;
        }
        for (int phase : plan.phases()) {
            logger.warn(String.format("The lifecycle processor %s is not a DefaultLifecycleProcessor, so it cannot be "
                    + "told how long drop phase %d may take: make sure it waits at least %s for that shutdown phase, "
                    + "or it moves on to lower phases, such as executors, while beans are still being dropped.",
                    processor.getClass().getName(), phase, DropLog.print(springWait(plan, phase))));
        }
    }

    /**
     * What Spring was set to wait for a drop phase before the drops' timeout is handed to it, if anything bounds
     * more than the drops there: a timeout given for that very phase (by the application, say), or, when other
     * lifecycle beans stop in that phase, Spring's timeout per phase, which bounds them.
     * @return that wait, or {@code null} if only the drops' wait matters
     */
    private static @Nullable Duration configured(int phase, Map<Integer, Duration> springTimeouts,
            Set<Integer> lifecyclePhases, Duration springDefault) {
        Duration override = springTimeouts.get(phase);
        if (override != null) {
            return override;
        }
        return lifecyclePhases.contains(phase) ? springDefault : null;
    }

    private static Duration longer(Duration ours, @Nullable Duration configured) {
        return (configured != null && configured.compareTo(ours) > 0) ? configured : ours;
    }

    private ShutdownWorstCase compute(DropPlan plan, Map<Integer, List<String>> lifecycleBeans,
            Duration springDefault, Map<Integer, Duration> springTimeouts) {
        Map<Integer, Integer> droppables = new TreeMap<>();
        for (PlannedResource resource : plan.resources()) {
            droppables.merge(resource.phase(), 1, Integer::sum);
        }
        TreeSet<Integer> phases = new TreeSet<>(lifecycleBeans.keySet());
        phases.addAll(droppables.keySet());
        List<PhaseWait> waits = new ArrayList<>();
        for (int phase : phases.descendingSet()) {
            List<String> beans = lifecycleBeans.getOrDefault(phase, List.of());
            int drops = droppables.getOrDefault(phase, 0);
            if (drops > 0) {
                // Spring waits the longer of the drops' wait and what it was set to wait before: count that one.
                Duration ours = springWait(plan, phase);
                Duration configured = configured(phase, springTimeouts, lifecycleBeans.keySet(), springDefault);
                if (longer(ours, configured) == ours) {
                    waits.add(new PhaseWait(phase, ours, dropProperty(phase), drops, beans));
                }
                else {
                    waits.add(new PhaseWait(phase, configured, springTimeouts.containsKey(phase)
                            ? ShutdownBudgetText.PROCESSOR_OVERRIDE : SPRING_TIMEOUT_PROPERTY, drops, beans));
                }
            }
            else {
                Duration override = springTimeouts.get(phase);
                waits.add(new PhaseWait(phase, (override != null) ? override : springDefault,
                        (override != null) ? ShutdownBudgetText.PROCESSOR_OVERRIDE : SPRING_TIMEOUT_PROPERTY, 0,
                        beans));
            }
        }
        return new ShutdownWorstCase(waits, budget);
    }

    private String dropProperty(int phase) {
        return settings.phaseTimeouts().containsKey(phase) ? "async-drop.phases." + phase + ".timeout"
                : "async-drop.timeout-per-phase";
    }

    static Duration springWait(DropPlan plan, int phase) {
        return plan.phaseTimeout(phase).plus(REPORT_MARGIN);
    }

    /**
     * The {@code SmartLifecycle} singletons that Spring may wait for, by phase, other than the drop phases' own
     * lifecycles. Spring's timeout bounds only a stop that calls back later: a bean without a
     * {@code stop(Runnable)} of its own stops synchronously, bounded by no timeout, and is left out.
     */
    private static Map<Integer, List<String>> lifecycleBeansByPhase(ConfigurableListableBeanFactory beanFactory) {
        Map<Integer, List<String>> byPhase = new TreeMap<>();
        for (String name : beanFactory.getBeanNamesForType(SmartLifecycle.class, false, false)) {
            Object bean = beanFactory.containsSingleton(name) ? beanFactory.getSingleton(name) : null;
            if (bean instanceof SmartLifecycle lifecycle && !(bean instanceof DropPhaseLifecycle)
                    && stopsAsynchronously(lifecycle)) {
                byPhase.computeIfAbsent(lifecycle.getPhase(), (phase) -> new ArrayList<>()).add(name);
            }
        }
        return byPhase;
    }

    private static boolean stopsAsynchronously(SmartLifecycle lifecycle) {
        Method stop = ReflectionUtils.findMethod(lifecycle.getClass(), "stop", Runnable.class);
        return stop != null && stop.getDeclaringClass() != SmartLifecycle.class;
    }

    private static @Nullable LifecycleProcessor lifecycleProcessor(ConfigurableListableBeanFactory beanFactory) {
        String name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME;
        return beanFactory.containsBean(name) ? beanFactory.getBean(name, LifecycleProcessor.class) : null;
    }

    /**
     * Reads the processor's default timeout and the timeouts it was given for single phases. It offers no getter,
     * so its fields are read; should they ever change, Spring Boot's property value stands in.
     * @return the processor's default timeout per phase
     */
    private Duration readTimeouts(DefaultLifecycleProcessor processor, Map<Integer, Duration> perPhase) {
        try {
            Field defaultField = ReflectionUtils.findField(DefaultLifecycleProcessor.class, "timeoutPerShutdownPhase");
            Field phasesField = ReflectionUtils.findField(DefaultLifecycleProcessor.class, "timeoutsForShutdownPhases");
            if (defaultField == null || phasesField == null) {
                return springPhaseTimeout;
            }
            ReflectionUtils.makeAccessible(defaultField);
            ReflectionUtils.makeAccessible(phasesField);
            if (ReflectionUtils.getField(phasesField, processor) instanceof Map<?, ?> phases) {
                phases.forEach((phase, millis) -> {
                    if (phase instanceof Integer number && millis instanceof Long value) {
                        perPhase.put(number, Duration.ofMillis(value));
                    }
                });
            }
            return (ReflectionUtils.getField(defaultField, processor) instanceof Long millis)
                    ? Duration.ofMillis(millis) : springPhaseTimeout;
        }
        catch (RuntimeException ex) {
            return springPhaseTimeout;
        }
    }
}
