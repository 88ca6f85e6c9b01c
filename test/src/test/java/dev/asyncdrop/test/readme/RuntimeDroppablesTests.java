package dev.asyncdrop.test.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.spring.autoconfigure.AsyncDropAutoConfiguration;
import dev.asyncdrop.test.CapturedLog;
import dev.asyncdrop.test.ContextShutdown;
import dev.asyncdrop.test.DetectLeaks;
import dev.asyncdrop.test.DropAssertions;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the README's "Droppables created at run time": {@link Sessions} in an application with the starter. */
@ExtendWith(CapturedLog.class)
@DetectLeaks
class RuntimeDroppablesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class))
        .withUserConfiguration(Sessions.class);

    @Test
    void aSessionDroppedWhenDoneLeavesTheScopeAndTheScopeDropsTheOthersAtClose() {
        this.contextRunner.run(context -> {
            Sessions sessions = context.getBean(Sessions.class);
            AsyncDropGuard<Session> done = sessions.open("ada");
            AsyncDropGuard<Session> open = sessions.open("grace");
            Session left = open.get();

            done.asyncDrop().toCompletableFuture().join();
            assertThat(context.getBean(AsyncDropScope.class).size()).isOne();

            DropAssertions.assertThat(ContextShutdown.closeAndReport(context)).hasNoFailures();
            assertThat(left.dropped()).isTrue();
            assertThat(open.isDropped()).isTrue();
        });
    }
}
