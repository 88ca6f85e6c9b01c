package dev.asyncdrop.spring.internal;

import java.util.Objects;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.MergedBeanDefinitionPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Tells a {@link ContextDropCoordinator} about every bean as it is created. Created before the other beans, so that
 * the beans created before a failed refresh are known and dropped before they are destroyed. Deliberately not
 * {@code Ordered}: unordered post-processors run after the ordered ones (and, as a merged bean definition
 * post-processor, it runs last), so it sees the object that the context exposes (a proxy, if any). Thread-safe.
 */
public final class BeanDropPostProcessor implements MergedBeanDefinitionPostProcessor, BeanFactoryAware {

    private final ContextDropCoordinator coordinator;

    /**
     * Creates a post-processor for a coordinator.
     * @param coordinator the coordinator to tell
     */
    public BeanDropPostProcessor(ContextDropCoordinator coordinator) {
        this.coordinator = Objects.requireNonNull(coordinator, "'coordinator' must not be null");
    }

    /** @return the coordinator this post-processor tells */
    public ContextDropCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (!(beanFactory instanceof ConfigurableListableBeanFactory listableBeanFactory)) {
            throw new IllegalArgumentException(
                    "async-drop needs a ConfigurableListableBeanFactory, but was given " + beanFactory);
        }
        coordinator.setBeanFactory(listableBeanFactory);
    }

    @Override
    public void postProcessMergedBeanDefinition(RootBeanDefinition beanDefinition, Class<?> beanType,
            String beanName) {
        coordinator.definitionMerged(beanDefinition, beanType, beanName);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        coordinator.beanCreated(bean, beanName);
        return bean;
    }

}
