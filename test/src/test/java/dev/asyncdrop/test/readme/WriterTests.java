package dev.asyncdrop.test.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.coordinator.DropReport;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;
import dev.asyncdrop.test.CapturedLog;
import dev.asyncdrop.test.ContextShutdown;
import dev.asyncdrop.test.DetectLeaks;
import dev.asyncdrop.test.DropAssertions;

/**
 * The example of the README's "Testing your droppables", from {@code @DetectLeaks} to the end, word for word
 * ({@link ReadmeSnippetTests} checks it). In a package of its own, so that it uses nothing but public API.
 */
@ExtendWith(CapturedLog.class)
@DetectLeaks                                    // a guard leaked by a test fails that test
class WriterTests {

    @Test
    void writesThenDropsItsBuffer() {
        try (AsyncDropGuard<Writer> writer = AsyncDropGuard.of(new Writer(new Pool()))) {
            writer.get().write("hello");
        }   // forgetting this drop fails the test, naming Writer and where its guard was created
    }

    @Test
    void dropsTheWriterBeforeThePoolItWritesTo() {
        Pool pool = new Pool();
        DropReport report = DropPlan.builder()
                .add("writer", new Writer(pool), writer -> writer.dependsOn("pool"))
                .add("pool", pool)
                .build()
                .execute()
                .join();

        DropAssertions.assertThat(report)
                .hasNoFailures()
                .dropped("writer", "pool")
                .droppedBefore("writer", "pool");
    }

    @Test
    void theApplicationDropsItsBeansInOrder() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
                .withUserConfiguration(WriterConfiguration.class)
                .run(context -> DropAssertions.assertThat(ContextShutdown.closeAndReport(context))
                        .hasNoFailures()
                        .droppedBefore("writer", "pool"));
    }
}
