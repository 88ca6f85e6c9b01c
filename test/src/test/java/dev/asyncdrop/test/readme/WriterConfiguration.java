package dev.asyncdrop.test.readme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application of the README's "Testing your droppables": a writer that uses a pool. */
@Configuration(proxyBeanMethods = false)
class WriterConfiguration {

    @Bean
    Pool pool() {
        return new Pool();
    }

    @Bean
    Writer writer(Pool pool) {
        return new Writer(pool);
    }
}
