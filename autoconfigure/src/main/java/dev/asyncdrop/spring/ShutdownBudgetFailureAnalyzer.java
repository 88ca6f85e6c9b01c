package dev.asyncdrop.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link ShutdownBudgetExceededException}: the phases whose timeouts add up to more than the shutdown's
 * budget, and the properties that set them.
 */
class ShutdownBudgetFailureAnalyzer extends AbstractFailureAnalyzer<ShutdownBudgetExceededException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ShutdownBudgetExceededException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
