package dev.herd.desired;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Thousands of generated and mutated documents: the parser never throws, every input is either
 * accepted or rejected with structured errors, and a document built only from valid values is
 * accepted while one with any invalid value is rejected.
 */
class DesiredStateFuzzProperties {
    private static final Object ABSENT = new Object();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A value for one field and whether it is a valid one. */
    record Choice(Object value, boolean ok) {
    }

    /** A generated document tree and whether every value in it was a valid one. */
    record Doc(Map<String, Object> tree, boolean expectValid) {
        String yaml() {
            try {
                return YAML.writeValueAsString(tree);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Property(tries = 3000)
    void generatedDocumentsAreAcceptedExactlyWhenEveryValueIsValid(@ForAll("documents") Doc doc) {
        FileScan scan = Fixtures.parse(doc.yaml());

        assertStructured(scan);
        assertThat(scan.errors().isEmpty()).as("%s%n%s", doc.yaml(), scan.errors()).isEqualTo(doc.expectValid());
    }

    @Property(tries = 3000)
    void mutatedDocumentsAreAcceptedOrRejectedWithStructuredErrors(@ForAll("mutated") String yaml) {
        assertStructured(Fixtures.parse(yaml));
    }

    /** Found by the fuzz above (seed 413268856340876852): a key of two tabs made an error whose field was blank. */
    @Example
    void aKeyOfWhitespaceIsNamedQuotedAndEscaped() {
        FileScan scan = Fixtures.parse(Fixtures.MINIMAL.replace("metadata: {name: sal}", "metadata: {name: sal}\n\"\\t\\t\": osis"));
        assertStructured(scan);
        assertThat(scan.errors()).extracting(ConfigError::field).containsExactly("\"\\t\\t\"");
    }

    @Property(tries = 300)
    void parsingIsDeterministic(@ForAll("mutated") String yaml) {
        assertThat(Fixtures.parse(yaml)).isEqualTo(Fixtures.parse(yaml));
    }

    private static void assertStructured(FileScan scan) {
        for (PoolDocument d : scan.documents()) {
            assertThat(d.valid()).isEqualTo(d.errors().isEmpty());
        }
        for (ConfigError e : scan.errors()) {
            assertThat(e.file()).isEqualTo(Fixtures.FILE);
            assertThat(e.line()).isNotNegative();
            assertThat(e.column()).isNotNegative();
            assertThat(e.field()).isNotBlank();
            assertThat(e.message()).isNotBlank();
            assertThat(e.hint()).isNotBlank();
            assertThat(e.toString()).startsWith(Fixtures.FILE + ":" + e.line() + ":" + e.column() + ": " + e.field() + ": ");
        }
        if (scan.errors().isEmpty()) {
            assertThat(scan.documents()).allMatch(PoolDocument::valid);
        }
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> seeds = Arbitraries.oneOf(Arbitraries.of(Fixtures.FULL, Fixtures.MINIMAL,
                Fixtures.FULL + "---\n" + Fixtures.MINIMAL), documents().map(Doc::yaml));
        Arbitrary<String> noise = Arbitraries.strings().withChars(":-[]{}\"'#&*!|>%@`\n\t ,?{}$\\ab0").ofMaxLength(6);
        Arbitrary<List<Tuple.Tuple3<Double, Integer, String>>> edits = Combinators.combine(
                Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 12), noise)
                .as(Tuple::of).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(seeds, edits).as(DesiredStateFuzzProperties::mutate);
    }

    /** Each edit deletes up to N characters at a relative position and inserts noise there. */
    private static String mutate(String seed, List<Tuple.Tuple3<Double, Integer, String>> edits) {
        StringBuilder text = new StringBuilder(seed);
        for (Tuple.Tuple3<Double, Integer, String> edit : edits) {
            int at = (int) (edit.get1() * text.length());
            text.replace(at, Math.min(text.length(), at + edit.get2()), edit.get3());
        }
        return text.toString();
    }

    @Provide
    Arbitrary<Doc> documents() {
        Arbitrary<Choice> apiVersion = choice(List.of("herd/v1"), List.of(ABSENT, "herd/v2", 1));
        Arbitrary<Choice> kind = choice(List.of("WorkerPool"), List.of(ABSENT, "Deployment", List.of()));
        Arbitrary<Choice> name = choice(List.of("osis", "sal-2", "a", "x".repeat(40)),
                List.of("Osis", "-a", "a_b", "x".repeat(41), List.of("a"), ABSENT));
        Arbitrary<Choice> replicas = choice(List.of(ABSENT, 0, 1, 3), List.of(-1, "2", 1.5, List.of()));
        Arbitrary<Choice> exec = choice(
                List.of(List.of("/bin/w"), List.of("/bin/w", "{{workerId}}", "--pool={{pool}}"),
                        "/bin/w --id {{workerId}} --redis {{redisUrl}}", List.of("{{herdHome}}/w", "${HOME:-/root}", 8080)),
                List.of(List.of(), "", List.of("{{nope}}"), Map.of("a", "b"), List.of("/bin/w", "${UNSET_X}"), ABSENT));
        Arbitrary<Choice> env = choice(List.of(ABSENT, Map.of("A", "1"), Map.of("B", 5, "C", "{{ordinal}}")),
                List.of(List.of("a"), Map.of("1A", "x"), Map.of("A", Map.of())));
        Arbitrary<Choice> stopSignal = choice(List.of(ABSENT, "SIGTERM", "SIGKILL"), List.of("SIGFOO", 9, "TERM", "sigkill", List.of()));
        Arbitrary<Choice> shutdownTimeout = choice(List.of(ABSENT, "30s", "1m30s", "500ms", 0), List.of("30", 30, "1d", "-1s"));
        Arbitrary<Choice> after = choice(List.of(ABSENT, List.of("redis"), List.of()), List.of("redis", List.of("a b")));
        Arbitrary<Choice> health = choice(List.of(ABSENT, Map.of("pingTimeout", "5s"), Map.of("failureThreshold", 5)),
                List.of(Map.of("pingTimeout", "0s"), Map.of("failureThreshold", "3"), Map.of("pingAfterIdle", 10), "5m"));
        Arbitrary<Choice> strategy = choice(
                List.of(ABSENT, Map.of("maxSurge", "25%", "maxUnavailable", 0), Map.of("maxSurge", 1), Map.of("maxUnavailable", "50%")),
                List.of(Map.of("maxSurge", "150%"), Map.of("maxUnavailable", -1), Map.of("maxSurge", 0, "maxUnavailable", "0%"),
                        Map.of("maxsurge", 1)));
        Arbitrary<Choice> autoscaling = choice(
                List.of(ABSENT, Map.of("minReplicas", 0, "maxReplicas", 5), Map.of("maxReplicas", 3, "cooldown", "1m"),
                        Map.of("minReplicas", 2, "maxReplicas", 2, "tolerance", "5%", "fallbackReplicas", 1)),
                List.of(Map.of("minReplicas", 5, "maxReplicas", 2), Map.of("minReplicas", 1), Map.of("maxReplicas", 0),
                        "yes", Map.of("maxReplicas", 3, "fallbackReplicas", 4)));
        Arbitrary<Choice> stray = choice(List.of(ABSENT), List.of("replica", "templates"));
        return Combinators.combine(List.of(apiVersion, kind, name, replicas, exec, env, stopSignal, shutdownTimeout,
                after, health, strategy, autoscaling, stray)).as(DesiredStateFuzzProperties::document);
    }

    private static Doc document(List<Choice> c) {
        Map<String, Object> template = new LinkedHashMap<>();
        put(template, "exec", c.get(4).value());
        put(template, "env", c.get(5).value());
        put(template, "stopSignal", c.get(6).value());
        put(template, "shutdownTimeout", c.get(7).value());
        put(template, "after", c.get(8).value());
        Map<String, Object> spec = new LinkedHashMap<>();
        boolean autoscaled = c.get(11).ok() && c.get(11).value() != ABSENT;
        if (!(autoscaled && c.get(3).ok())) {
            put(spec, "replicas", c.get(3).value()); // a valid count may contradict a valid range
        }
        spec.put("template", template);
        put(spec, "health", c.get(9).value());
        put(spec, "strategy", c.get(10).value());
        put(spec, "autoscaling", c.get(11).value());
        put(spec, String.valueOf(c.get(12).value()), c.get(12).value() == ABSENT ? ABSENT : 1);
        Map<String, Object> tree = new LinkedHashMap<>();
        put(tree, "apiVersion", c.get(0).value());
        put(tree, "kind", c.get(1).value());
        Map<String, Object> metadata = new LinkedHashMap<>();
        put(metadata, "name", c.get(2).value());
        tree.put("metadata", metadata);
        tree.put("spec", spec);
        return new Doc(tree, c.stream().allMatch(Choice::ok));
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != ABSENT) {
            map.put(key, value);
        }
    }

    private static Arbitrary<Choice> choice(List<Object> good, List<Object> bad) {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(new ArrayList<>(good)).map(v -> new Choice(v, true))),
                Tuple.of(1, Arbitraries.of(new ArrayList<>(bad)).map(v -> new Choice(v, false))));
    }
}
