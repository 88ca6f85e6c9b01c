package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.RootBeanDefinition;

import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * Makes sure an adapted bean is closed once. Spring closes an {@code AutoCloseable} bean when it destroys it, with no
 * bound; after a drop that closed it, or gave up on a {@code close()} that blocks, a second call could hold the
 * context's {@code close()} forever. So for the beans whose close an adapter takes over, the {@code close()} Spring
 * would infer is marked as managed elsewhere when the bean is created, and when Spring destroys the bean, it is closed
 * here only if its drop never started (its phase timed out first, or it never joined a plan), on a thread of its own,
 * waiting at most the bean's drop timeout (through interrupts, see {@link BoundedWait}). Beans whose destroy method is
 * another one, or that implement {@code DisposableBean}, keep Spring's own destruction. The destruction callback is
 * registered with the bean factory with the first bean taken over: a context without such beans pays nothing per bean.
 * Thread-safe.
 */
final class AdaptedBeanDestruction {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private static final String CLOSE = "close";

    private final DropCandidates candidates;

    private final DropSettings settings;

    /** The beans whose close is taken over, by bean name. */
    private final Set<String> takenOver = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean registered = new AtomicBoolean();

    private volatile @Nullable ConfigurableBeanFactory beanFactory;

    AdaptedBeanDestruction(DropCandidates candidates, DropSettings settings) {
        this.candidates = candidates;
        this.settings = settings;
    }

    void setBeanFactory(ConfigurableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /**
     * Takes Spring's close of a bean over if an adapter would close it. Called with the definition Spring uses to
     * create the bean, before it registers how to destroy it.
     * @param definition the bean's merged definition
     * @param beanType the bean's class
     * @param beanName the bean's name
     */
    void definitionMerged(RootBeanDefinition definition, Class<?> beanType, String beanName) {
        if (!AutoCloseable.class.isAssignableFrom(beanType) || DisposableBean.class.isAssignableFrom(beanType)
                || !candidates.replacesSpringClose(beanName, beanType)) {
            return;
        }
        String[] destroyMethods = definition.getDestroyMethodNames();
        String destroyMethod = definition.getDestroyMethodName();
        boolean closeInferred = destroyMethod == null || AbstractBeanDefinition.INFER_METHOD.equals(destroyMethod)
                || CLOSE.equals(destroyMethod);
        if (!closeInferred || (destroyMethods != null && destroyMethods.length > 1)
                || managedElsewhere(definition)) {
            return;
        }
        ConfigurableBeanFactory beanFactory = this.beanFactory;
        if (beanFactory == null) {
            return;
        }
        if (registered.compareAndSet(false, true)) {
            // Before Spring registers how to destroy this bean, which it does once the bean is initialized.
            beanFactory.addBeanPostProcessor(new DestructionCallback());
        }
        definition.registerExternallyManagedDestroyMethod(CLOSE);
        takenOver.add(beanName);
    }

    /** Whether a close() method of the bean is managed by something else already, such as a @PreDestroy method. */
    private static boolean managedElsewhere(RootBeanDefinition definition) {
        for (String method : definition.getExternallyManagedDestroyMethods()) {
            // Recorded either as a name or qualified with its class.
            if (method.equals(CLOSE) || method.endsWith("." + CLOSE)) {
                return true;
            }
        }
        return false;
    }

    /** Closes a bean whose close was taken over, if its drop did not: called when Spring destroys it. */
    private void beforeDestruction(Object bean, String beanName) {
        if (!(bean instanceof AutoCloseable closeable) || !takenOver.contains(beanName)) {
            return;
        }
        AdaptedDrop drop = candidates.adaptedBefore(beanName, bean);
        if (drop != null && drop.hasStarted()) {
            return;
        }
        closeWithin(closeable, beanName, settings.dropTimeout(beanName));
    }

    private static void closeWithin(AutoCloseable closeable, String beanName, Duration limit) {
        FutureTask<Void> close = new FutureTask<>(() -> {
            closeable.close();
            return null;
        });
        Thread thread = new Thread(close, BlockingDrop.THREAD_NAME_PREFIX + beanName);
        // A close() that never returns must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
        // Through interrupts: what the bean uses is destroyed after it, and must outlive its close.
        if (!BoundedWait.awaitUninterruptibly(close, limit, "bean '" + beanName + "' to close")) {
            close.cancel(true);
            logger.warn("Gave up waiting for bean '" + beanName + "' to close after " + DropLog.print(limit)
                    + " (its drop timeout): it was not dropped, and its close() did not return");
            return;
        }
        try {
            close.get();
        }
        catch (ExecutionException ex) {
            logger.warn("Invocation of close method failed on bean with name '" + beanName + "'", ex.getCause());
        }
        catch (InterruptedException ex) {
            // Done already: get() does not wait.
            Thread.currentThread().interrupt();
        }
    }

    /** Spring's callback as it destroys a bean; only beans that may have been taken over need it. */
    private final class DestructionCallback implements DestructionAwareBeanPostProcessor {

        @Override
        public boolean requiresDestruction(Object bean) {
            return bean instanceof AutoCloseable;
        }

        @Override
        public void postProcessBeforeDestruction(Object bean, String beanName) {
            beforeDestruction(bean, beanName);
        }
    }
}
