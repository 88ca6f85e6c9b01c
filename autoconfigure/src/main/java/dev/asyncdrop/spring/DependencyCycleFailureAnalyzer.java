package dev.asyncdrop.spring;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.asyncdrop.coordinator.DependencyCycleException;

/**
 * Explains a {@link DependencyCycleException} thrown while the application starts, for example by a
 * {@code DropPlan} that the application builds itself. The cycles of the beans dropped at shutdown arrive wrapped
 * in an {@link InvalidDropPlanException}, which says more, and are left to {@link InvalidDropPlanFailureAnalyzer}.
 */
class DependencyCycleFailureAnalyzer extends AbstractFailureAnalyzer<DependencyCycleException> {

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, DependencyCycleException cause) {
        if (findCause(rootFailure, InvalidDropPlanException.class) != null) {
            return null;
        }
        String description = String.format("The resources of a drop plan depend on each other in a cycle, so none "
                + "of them can be dropped first:%n%n    %s", String.join(" -> ", cause.cycle()));
        String action = "Break the cycle by removing one of these dependencies from the plan (DropPlan.Builder's "
                + "dependsOn).";
        return new FailureAnalysis(description, action, cause);
    }
}
