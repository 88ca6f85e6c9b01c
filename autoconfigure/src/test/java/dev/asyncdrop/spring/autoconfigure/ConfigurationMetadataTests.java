package dev.asyncdrop.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.report.ShutdownReportStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata generated for {@link AsyncDropProperties}, which IDEs use to complete and document
 * the properties.
 */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyIsDescribedWithItsDefault() throws IOException {
        Map<String, JsonNode> properties = properties();
        assertThat(properties).containsKeys("async-drop.enabled", "async-drop.phase", "async-drop.timeout-per-phase",
                "async-drop.phases", "async-drop.resources", "async-drop.leak-detection.level",
                "async-drop.report.log", "async-drop.report.directory", "async-drop.report.keep",
                "async-drop.adapters.task-executors", "async-drop.adapters.executor-services",
                "async-drop.adapters.data-sources", "async-drop.adapters.auto-closeables");
        assertThat(properties.values()).allSatisfy(property -> assertThat(property.has("description")).isTrue());
        assertThat(properties.get("async-drop.phase").get("defaultValue").asInt()).isEqualTo(2147479551);
        assertThat(properties.get("async-drop.timeout-per-phase").get("defaultValue").asString()).isEqualTo("20s");
        assertThat(properties.get("async-drop.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("async-drop.adapters.task-executors").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("async-drop.adapters.data-sources").get("defaultValue").asBoolean()).isFalse();
    }

    @Test
    void theDefaultsTakenFromConstantsAreDescribedWithTheConstantsValues() throws IOException {
        // The processor cannot read a constant of another class, so these defaults are written out by hand.
        Map<String, JsonNode> properties = properties();
        assertThat(DurationStyle.detectAndParse(properties.get("async-drop.timeout-per-phase").get("defaultValue")
            .asString())).isEqualTo(DropPlan.DEFAULT_PHASE_TIMEOUT);
        assertThat(properties.get("async-drop.report.keep").get("defaultValue").asInt())
            .isEqualTo(ShutdownReportStore.DEFAULT_KEEP);
    }

    private Map<String, JsonNode> properties() throws IOException {
        Map<String, JsonNode> properties = new HashMap<>();
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).isNotNull();
            JsonNode root = JsonMapper.builder().build().readTree(metadata);
            root.get("properties").forEach(property -> properties.put(property.get("name").asString(), property));
        }
        return properties;
    }
}
