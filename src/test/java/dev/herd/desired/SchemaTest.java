package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/desired-state.schema.json says exactly what the parser accepts: same fields, enums and defaults. */
class SchemaTest {
    private static JsonNode schema;

    @BeforeAll
    static void readSchema() throws IOException {
        schema = new ObjectMapper().readTree(Path.of("docs/desired-state.schema.json").toFile());
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : schema.at(ref.asText().substring(1));
    }

    private static JsonNode at(String path) {
        JsonNode node = schema;
        for (String segment : path.isEmpty() ? new String[0] : path.split("\\.")) {
            node = resolve(node.get("properties").get(segment));
        }
        return node;
    }

    /** Every object of the schema that lists its properties, by dotted path. */
    private static Map<String, JsonNode> objects(String path, JsonNode node, Map<String, JsonNode> found) {
        JsonNode properties = node.get("properties");
        if (properties != null) {
            found.put(path, node);
            properties.fields().forEachRemaining(e ->
                    objects(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), resolve(e.getValue()), found));
        }
        return found;
    }

    /** Every property with a default, by dotted path. */
    private static Map<String, JsonNode> defaults() {
        Map<String, JsonNode> defaults = new LinkedHashMap<>();
        objects("", schema, new LinkedHashMap<>()).forEach((path, node) -> node.get("properties").fields()
                .forEachRemaining(e -> {
                    if (e.getValue().has("default")) {
                        defaults.put(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue().get("default"));
                    }
                }));
        return defaults;
    }

    @Test
    void theSchemaHasExactlyTheParsersObjects() {
        assertThat(objects("", schema, new LinkedHashMap<>()).keySet()).containsExactlyInAnyOrderElementsOf(
                KnownFields.BY_PATH.keySet());
    }

    @Test
    void eachObjectHasExactlyTheParsersFieldsAndNoOthers() {
        KnownFields.BY_PATH.forEach((path, fields) -> {
            JsonNode node = at(path);
            Set<String> properties = new TreeSet<>();
            node.get("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(properties).as(path).containsExactlyInAnyOrderElementsOf(fields);
            assertThat(node.get("additionalProperties").asBoolean(true)).as(path).isFalse();
        });
    }

    @Test
    void enumsAgree() {
        assertThat(at("apiVersion").get("enum").toString()).isEqualTo("[\"" + Defaults.API_VERSION + "\"]");
        assertThat(at("kind").get("enum").toString()).isEqualTo("[\"" + Defaults.KIND + "\"]");
        List<String> signals = new ArrayList<>();
        at("spec.template.stopSignal").get("enum").forEach(n -> signals.add(n.asText()));
        assertThat(signals).isEqualTo(Signals.NAMES);
        assertThat(at("metadata.name").get("maxLength").asInt()).isEqualTo(Defaults.MAX_NAME_LENGTH);
        List<String> queues = new ArrayList<>();
        at("spec.queue").get("enum").forEach(n -> queues.add(n.asText()));
        assertThat(queues).isEqualTo(java.util.Arrays.stream(QueueMode.values()).map(QueueMode::yaml).toList());
    }

    @Test
    void theSchemaStatesADefaultForEveryFieldTheParserDefaults() {
        assertThat(defaults().keySet()).containsExactlyInAnyOrder(
                "spec.replicas", "spec.template.stopSignal", "spec.template.shutdownTimeout",
                "spec.autoscaling.minReplicas", "spec.autoscaling.targetQueueLengthPerReplica",
                "spec.autoscaling.activationQueueLength", "spec.autoscaling.cooldown",
                "spec.autoscaling.scaleUpStabilization", "spec.autoscaling.scaleDownStabilization",
                "spec.autoscaling.tolerance", "spec.autoscaling.stepPeriod", "spec.autoscaling.fallbackAfterFailures",
                "spec.health.pingAfterIdle", "spec.health.pingTimeout", "spec.health.failureThreshold",
                "spec.strategy.maxUnavailable", "spec.strategy.maxSurge", "spec.queue");
    }

    /** Spelling out every default the schema states gives the same pool as leaving them all out. */
    @Test
    void theSchemasDefaultsAreTheParsersDefaults() throws IOException {
        for (boolean autoscaled : new boolean[] {false, true}) {
            ObjectNode bare = minimal(autoscaled);
            ObjectNode spelledOut = bare.deepCopy();
            defaults().forEach((path, value) -> {
                if (path.startsWith("spec.autoscaling.") == autoscaled) {
                    set(spelledOut, path, value);
                }
            });
            assertThat(Fixtures.pool(yaml(spelledOut))).as(yaml(spelledOut)).isEqualTo(Fixtures.pool(yaml(bare)));
        }
    }

    private static ObjectNode minimal(boolean autoscaled) throws IOException {
        ObjectNode doc = (ObjectNode) new YAMLMapper().readTree(Fixtures.MINIMAL);
        if (autoscaled) {
            ((ObjectNode) doc.get("spec")).putObject("autoscaling").put("maxReplicas", 10);
        }
        return doc;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] segments = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < segments.length - 1; i++) {
            node = node.has(segments[i]) ? (ObjectNode) node.get(segments[i]) : node.putObject(segments[i]);
        }
        node.set(segments[segments.length - 1], value);
    }

    private static String yaml(JsonNode doc) throws IOException {
        return new YAMLMapper().writeValueAsString(doc);
    }
}
