package dev.asyncdrop.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.convert.DurationStyle;

import dev.asyncdrop.coordinator.DropPlan;
import dev.asyncdrop.spring.AsyncDropPhases;
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

    @Test
    void theKeysOfResourcesCompleteEveryBeanNameAdaptedBeansIncluded() throws IOException {
        // Executors, data sources and other adapted beans share no type with AsyncDroppable beans, and an IDE uses
        // only the first provider it can handle: so no target type.
        JsonNode providers = hint("async-drop.resources.keys").get("providers");
        assertThat(providers).hasSize(1);
        assertThat(providers.get(0).get("name").asString()).isEqualTo("spring-bean-reference");
        assertThat(providers.get(0).has("parameters")).isFalse();
    }

    @Test
    void theKeysOfPhasesOfferTheDefaultPhaseAndAcceptAnyOther() throws IOException {
        JsonNode hint = hint("async-drop.phases.keys");
        assertThat(hint.get("values").valueStream().map(value -> value.get("value").asInt()))
            .containsExactly(AsyncDropPhases.DEFAULT);
        assertThat(hint.get("values").get(0).get("description").asString()).contains("AsyncDropPhases.DEFAULT");
        assertThat(hint.get("providers").valueStream().map(provider -> provider.get("name").asString()))
            .containsExactly("any");
    }

    @Test
    void theAutoCloseablesCompleteTheNamesOfAutoCloseableBeans() throws IOException {
        JsonNode provider = hint("async-drop.adapters.auto-closeables").get("providers").get(0);
        assertThat(provider.get("name").asString()).isEqualTo("spring-bean-reference");
        assertThat(provider.get("parameters").get("target").asString()).isEqualTo(AutoCloseable.class.getName());
    }

    @Test
    void theNestedKeysOfPhasesAndResourcesComeFromTheirValueTypesAndAreNamedInTheirDescriptions() throws Exception {
        // The metadata format has no entry for a key below a map key: IDEs complete 'phases.<n>.timeout' and
        // 'resources.<bean>.phase' from the map's value type, and show the map's description.
        Map<String, JsonNode> properties = properties();
        assertThat(nestedKeys(properties.get("async-drop.phases"))).containsExactly("timeout");
        assertThat(nestedKeys(properties.get("async-drop.resources")))
            .containsExactlyInAnyOrder("phase", "timeout", "depends-on");
        for (String map : List.of("async-drop.phases", "async-drop.resources")) {
            String description = properties.get(map).get("description").asString();
            assertThat(nestedKeys(properties.get(map))).allSatisfy(key -> assertThat(description).contains(key));
        }
    }

    /** The keys under a map's key: the writable JavaBean properties of the map's value type, dashed. */
    private static List<String> nestedKeys(JsonNode mapProperty) throws ClassNotFoundException {
        String type = mapProperty.get("type").asString();
        assertThat(type).startsWith(Map.class.getName() + "<");
        Class<?> valueType = Class.forName(type.substring(type.indexOf(',') + 1, type.length() - 1));
        return Stream.of(BeanUtils.getPropertyDescriptors(valueType))
            .filter(property -> property.getWriteMethod() != null)
            .map(PropertyDescriptor::getName)
            .map(DataObjectPropertyName::toDashedForm)
            .toList();
    }

    private JsonNode hint(String name) throws IOException {
        for (JsonNode hint : metadata().get("hints")) {
            if (hint.get("name").asString().equals(name)) {
                return hint;
            }
        }
        throw new AssertionError("No hint for " + name);
    }

    private Map<String, JsonNode> properties() throws IOException {
        Map<String, JsonNode> properties = new HashMap<>();
        metadata().get("properties")
            .forEach(property -> properties.put(property.get("name").asString(), property));
        return properties;
    }

    private JsonNode metadata() throws IOException {
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).isNotNull();
            return JsonMapper.builder().build().readTree(metadata);
        }
    }
}
