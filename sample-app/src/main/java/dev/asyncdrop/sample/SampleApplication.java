package dev.asyncdrop.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: a write-behind event buffer on a HikariCP pool, dropped in order at shutdown.
 *
 * @since 0.1.0
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Starts the application; see {@code application.properties} for the settings and their defaults.
     * @param args Spring Boot command line arguments, for example {@code --server.port=8081}
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
