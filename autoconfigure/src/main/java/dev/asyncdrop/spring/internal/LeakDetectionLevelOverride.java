package dev.asyncdrop.spring.internal;

import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import dev.asyncdrop.LeakDetection;

/**
 * Sets the leak detection level while an application context lives, and restores the level it found when the
 * context is destroyed. The level is JVM-wide: it applies to every guard of the JVM, whichever context or library
 * created it, and two contexts that override it in one JVM take turns. It is set before any bean is created, so
 * that the beans of the context are watched from their first guard; it is restored only if nobody changed it in the
 * meantime. Thread-safe.
 */
public final class LeakDetectionLevelOverride implements BeanFactoryPostProcessor, DisposableBean {

    private static final Log logger = LogFactory.getLog(LeakDetectionLevelOverride.class);

    private final LeakDetection.Level level;

    private volatile LeakDetection.@Nullable Level previous;

    /**
     * Creates an override.
     * @param level the level to set while the context lives
     */
    public LeakDetectionLevelOverride(LeakDetection.Level level) {
        this.level = Objects.requireNonNull(level, "'level' must not be null");
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        previous = LeakDetection.level();
        LeakDetection.setLevel(level);
        if (logger.isDebugEnabled()) {
            logger.debug("Leak detection level set to " + level + " for the JVM, was " + previous);
        }
    }

    @Override
    public void destroy() {
        LeakDetection.Level previous = this.previous;
        if (previous != null && LeakDetection.level() == level) {
            LeakDetection.setLevel(previous);
        }
    }
}
