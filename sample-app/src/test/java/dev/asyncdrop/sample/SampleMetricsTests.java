package dev.asyncdrop.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.asyncdrop.micrometer.AsyncDropMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter brings no Micrometer of its own: the sample's meters of async-drop come from Micrometer as the
 * actuator brings it.
 */
class SampleMetricsTests {

    @TempDir
    Path database;

    @Test
    void withTheActuatorTheAsyncDropMetersArePublished() throws Exception {
        try (InProcessSampleApp app = InProcessSampleApp.start(this.database)) {
            assertThat(app.bean(AsyncDropMetrics.class)).isNotNull();

            HttpResponse<String> metrics = app.get("/actuator/metrics");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(InProcessSampleApp.json(metrics).get("names").valueStream().map(JsonNode::asString))
                .anyMatch(name -> name.startsWith("async.drop."));
        }
    }
}
