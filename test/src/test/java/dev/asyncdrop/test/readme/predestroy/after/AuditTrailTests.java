package dev.asyncdrop.test.readme.predestroy.after;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;
import dev.asyncdrop.test.CapturedLog;
import dev.asyncdrop.test.ContextShutdown;
import dev.asyncdrop.test.DropAssertions;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "after": the starter drops the bean at close, and the drop waits for the recorded events. */
@ExtendWith(CapturedLog.class)
class AuditTrailTests {

    @Test
    void theStarterDropsTheTrailOnceEveryRecordedEventIsWritten() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
            .withUserConfiguration(AuditTrail.class)
            .run(context -> {
                AuditTrail trail = context.getBean(AuditTrail.class);
                for (int i = 0; i < 100; i++) {
                    trail.record("event-" + i);
                }
                DropAssertions.assertThat(ContextShutdown.closeAndReport(context)).hasNoFailures()
                    .dropped("auditTrail");
                assertThat((List<?>) ReflectionTestUtils.getField(trail, "written")).hasSize(100);
            });
    }
}
