package dev.asyncdrop.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidDropPlanException}: a cycle, a phase violation or configuration naming beans that are
 * not dropped.
 */
class InvalidDropPlanFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDropPlanException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidDropPlanException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
