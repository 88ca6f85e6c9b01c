package dev.asyncdrop.spring.autoconfigure;

import java.time.Duration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * An application that starts and calls {@code System.exit}, as an orchestrator's SIGTERM makes it: Spring Boot's
 * shutdown hook then runs the drops while the JDK's shutdown hooks run too. Started in its own JVM by
 * {@link DumpOnExitTests}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ LifecycleAutoConfiguration.class, AsyncDropAutoConfiguration.class })
public class ExitingApplication {

    @Bean
    DropEvents dropEvents() {
        return new DropEvents();
    }

    @Bean
    RecordingDroppable exitingPool(DropEvents events) {
        return new RecordingDroppable("exitingPool", events, Duration.ofMillis(200));
    }

    @Bean
    RecordingDroppable exitingWriter(DropEvents events, RecordingDroppable exitingPool) {
        return new RecordingDroppable("exitingWriter", events, Duration.ofMillis(200));
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(ExitingApplication.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "async-drop.timeout-per-phase=10s")
            .run(args);
        System.exit(0);
    }
}
