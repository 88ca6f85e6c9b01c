package dev.asyncdrop.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that other tests run with JUnit's engine test kit, and that fails on purpose: it runs only there,
 * never when a build or an IDE picks it up by itself.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(Fixture.OnlyFromEngineTestKit.class)
@interface Fixture {

    /** The configuration parameter that the tests running fixtures set. */
    String ENABLED = "dev.asyncdrop.test.fixtures.enabled";

    /** Disables a fixture unless the engine test kit that runs it set {@link #ENABLED}. */
    final class OnlyFromEngineTestKit implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ENABLED, Boolean::parseBoolean).orElse(false)
                    ? ConditionEvaluationResult.enabled("run by a test, through the engine test kit")
                    : ConditionEvaluationResult.disabled("a fixture for tests that run it through the engine test kit");
        }
    }
}
