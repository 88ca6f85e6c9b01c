package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.util.Assert;

import dev.asyncdrop.spring.report.ShutdownReportStore;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the shutdown report
 * files, when {@code async-drop.report.directory} is set: each shutdown writes its report there, and the next start
 * reads the newest one back for the metrics and the endpoint. Stateless, so thread-safe; the store is thread-safe
 * too.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = AsyncDropAutoConfiguration.class)
@ConditionalOnBean(AsyncDropProperties.class)
@ConditionalOnProperty(prefix = "async-drop.report", name = "directory")
public final class AsyncDropReportAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ShutdownReportStore asyncDropShutdownReportStore(AsyncDropProperties properties) {
        AsyncDropProperties.Report report = properties.getReport();
        Path directory = report.getDirectory();
        Assert.state(directory != null, "'async-drop.report.directory' must be set");
        return ShutdownReportStore.open(directory, report.getKeep());
    }
}
