package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.asyncdrop.spring.actuate.AsyncDropEndpoint;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.AsyncDropDescriptor;
import dev.asyncdrop.spring.actuate.AsyncDropEndpoint.ResourceDescriptor;
import dev.asyncdrop.spring.autoconfigure.AsyncDropReportAutoConfigurationTests.DroppableBeans;
import dev.asyncdrop.spring.report.ShutdownReportStore;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncDropEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AsyncDropAutoConfiguration.class,
                    AsyncDropReportAutoConfiguration.class, AsyncDropEndpointAutoConfiguration.class))
            .withUserConfiguration(DroppableBeans.class)
            .withPropertyValues("async-drop.timeout-per-phase=5s");

    @TempDir
    Path reports;

    @Test
    void theEndpointIsNotAvailableUnlessExposed() {
        this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(AsyncDropEndpoint.class));
    }

    @Test
    void theEndpointIsAvailableWhenExposedOverTheWeb() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=asyncdrop")
                .run((context) -> assertThat(context).hasSingleBean(AsyncDropEndpoint.class));
    }

    @Test
    void theEndpointIsNotAvailableWhenDisabled() {
        this.contextRunner
                .withPropertyValues("management.endpoints.web.exposure.include=asyncdrop",
                        "management.endpoint.asyncdrop.enabled=false")
                .run((context) -> assertThat(context).doesNotHaveBean(AsyncDropEndpoint.class));
    }

    @Test
    void withoutTheActuatorOnTheClassPathTheEndpointBacksOffAndTheContextStarts() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=asyncdrop")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AsyncDropEndpoint.class));
    }

    @Test
    void theEndpointDescribesTheBeansTheContextDrops() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=asyncdrop")
                .run((context) -> {
                    AsyncDropDescriptor descriptor = context.getBean(AsyncDropEndpoint.class).asyncDrop();
                    assertThat(descriptor.phases()).isNotEmpty();
                    assertThat(descriptor.resources()).extracting(ResourceDescriptor::name)
                            .contains("writer", "pool");
                    assertThat(descriptor.resources()).filteredOn((resource) -> resource.name().equals("writer"))
                            .singleElement()
                            .satisfies((writer) -> assertThat(writer.dependsOn()).containsExactly("pool"));
                });
    }

    @Test
    void theEndpointDescribesTheLastShutdownKeptInTheReportDirectory() throws Exception {
        ShutdownReportStore.open(this.reports, 10).write(AsyncDropReportAutoConfigurationTests.failingReport());

        this.contextRunner
                .withPropertyValues("management.endpoints.web.exposure.include=asyncdrop",
                        "async-drop.report.directory=" + this.reports)
                .run((context) -> assertThat(context.getBean(AsyncDropEndpoint.class).asyncDrop().lastShutdown())
                        .isNotNull()
                        .satisfies((last) -> assertThat(last.failures()).isEqualTo(1)));
    }
}
