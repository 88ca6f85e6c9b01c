package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.asyncdrop.spring.BeanDropCoordinator;

/**
 * How the closing thread waits, bounded, for something that must end before beans are destroyed (the drops, or the
 * close of a bean): an interrupt does not cut the wait short, since the beans the waited-for work uses would then be
 * destroyed while it still runs. The interrupt is restored once the wait is over, and a WARN says so. Thread-safe.
 */
final class BoundedWait {

    private static final Log logger = LogFactory.getLog(BeanDropCoordinator.class);

    private BoundedWait() {
    }

    /**
     * Waits for a future, at most a given time, through interrupts.
     * @param future what to wait for
     * @param limit the longest to wait
     * @param what what is waited for, for the WARN if the thread is interrupted: {@code "the drops"}
     * @return {@code true} if the future completed, normally or not; {@code false} if the limit passed first
     */
    static boolean awaitUninterruptibly(Future<?> future, Duration limit, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
                catch (TimeoutException ex) {
                    return false;
                }
                catch (ExecutionException | CancellationException ex) {
                    return true;
                }
            }
        }
        finally {
            if (interrupted) {
                logger.warn("The closing thread was interrupted while it waited for " + what + ": it kept waiting, "
                        + "at most " + DropLog.print(limit) + ", so that nothing is destroyed before that has ended, "
                        + "and its interrupt status is restored");
                Thread.currentThread().interrupt();
            }
        }
    }
}
