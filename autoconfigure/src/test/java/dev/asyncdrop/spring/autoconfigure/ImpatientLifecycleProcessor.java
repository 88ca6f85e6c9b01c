package dev.asyncdrop.spring.autoconfigure;

import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * A lifecycle processor that waits for every shutdown phase the same time and ignores a longer wait for single
 * phases, as the starter asks for its drop phases: so that a test can make Spring stop waiting for a drop phase.
 */
class ImpatientLifecycleProcessor extends DefaultLifecycleProcessor {

    ImpatientLifecycleProcessor(long timeoutPerShutdownPhase) {
        setTimeoutPerShutdownPhase(timeoutPerShutdownPhase);
    }

    @Override
    public void setTimeoutForShutdownPhase(int phase, long timeout) {
        // Ignored: every phase gets the same timeout.
    }
}
