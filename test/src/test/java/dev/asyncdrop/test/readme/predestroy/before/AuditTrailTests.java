package dev.asyncdrop.test.readme.predestroy.before;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "before": Spring's destroy callback waits for the recorded events, on the closing thread. */
class AuditTrailTests {

    @Test
    void closingTheContextWaitsForEveryRecordedEvent() {
        new ApplicationContextRunner().withUserConfiguration(AuditTrail.class).run(context -> {
            AuditTrail trail = context.getBean(AuditTrail.class);
            for (int i = 0; i < 100; i++) {
                trail.record("event-" + i);
            }
            context.close();
            assertThat((List<?>) ReflectionTestUtils.getField(trail, "written")).hasSize(100);
        });
    }
}
