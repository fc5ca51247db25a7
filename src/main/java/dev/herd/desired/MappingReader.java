package dev.herd.desired;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, position-aware reads from one YAML mapping. Every read that fails adds an error and returns
 * empty, so the caller goes on and the user sees every problem of the file at once. Unknown and
 * repeated keys are reported when the reader is made.
 */
final class MappingReader {
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");

    private final Node.Mapping mapping;
    private final String path;
    private final Problems problems;

    /** A string value with where it was written. */
    record Text(String value, Location at, String field) {
    }

    /** One entry of a free-form mapping such as {@code env}. */
    record KeyedText(String key, Location keyAt, Text value) {
    }

    private MappingReader(Node.Mapping mapping, String path, Problems problems) {
        this.mapping = mapping;
        this.path = path;
        this.problems = problems;
    }

    /** A reader for {@code node}, a mapping whose keys must all be known fields of {@code path}. */
    static Optional<MappingReader> of(Node node, String path, Problems problems) {
        if (!(node instanceof Node.Mapping m)) {
            String hint = path.isEmpty() ? "a WorkerPool document is a mapping that starts with apiVersion: herd/v1"
                    : "write the fields of " + path.substring(path.lastIndexOf('.') + 1) + " indented below it";
            wrongType(node, path.isEmpty() ? "document" : path, "a mapping", hint, problems);
            return Optional.empty();
        }
        MappingReader reader = new MappingReader(m, path, problems);
        reader.checkKeys();
        return Optional.of(reader);
    }

    private void checkKeys() {
        List<String> known = KnownFields.at(path);
        for (Node.Entry e : firstOccurrences(mapping, path, problems)) {
            if (!known.contains(e.key())) {
                String hint = DidYouMean.closest(e.key(), known).map(k -> "did you mean \"" + k + "\"?")
                        .orElse("known fields here: " + String.join(", ", known));
                problems.add(e.keyAt(), field(e.key()), "unknown field \"" + e.key() + "\"", hint);
            }
        }
    }

    /** The entries of {@code m} with every repeated key after the first reported and left out. */
    private static List<Node.Entry> firstOccurrences(Node.Mapping m, String path, Problems problems) {
        Map<String, Location> seen = new HashMap<>();
        List<Node.Entry> firsts = new ArrayList<>();
        for (Node.Entry e : m.entries()) {
            Location first = seen.putIfAbsent(e.key(), e.keyAt());
            if (first == null) {
                firsts.add(e);
            } else {
                problems.add(e.keyAt(), join(path, e.key()), "field \"" + e.key() + "\" appears twice",
                        "the first one is at line " + first.line() + "; keep one");
            }
        }
        return firsts;
    }

    String field(String name) {
        return join(path, name);
    }

    /**
     * The path of {@code name} below {@code path}. A key that is blank or holds control characters is
     * shown quoted and escaped ({@code ""}, {@code "\t\t"}), so the field is never blank and the line
     * of an error stays one line.
     */
    private static String join(String path, String name) {
        String shown = name.isBlank() || name.chars().anyMatch(Character::isISOControl) ? quoted(name) : name;
        return path.isEmpty() ? shown : path + "." + shown;
    }

    private static String quoted(String name) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : name.toCharArray()) {
            switch (c) {
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '"' -> b.append("\\\"");
                default -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b.append('"').toString();
    }

    Location at() {
        return mapping.at();
    }

    boolean has(String name) {
        return get(name).isPresent();
    }

    /** The value of {@code name}; an explicit null counts as absent, as in Kubernetes. */
    Optional<Node> get(String name) {
        return mapping.entry(name).map(Node.Entry::value)
                .filter(v -> !(v instanceof Node.Scalar s && s.kind() == Node.ScalarKind.NULL));
    }

    /** Reports {@code name} as missing unless present. */
    boolean require(String name, String hint) {
        if (has(name)) {
            return true;
        }
        problems.add(mapping.at(), field(name), "is required", hint);
        return false;
    }

    Optional<MappingReader> mapping(String name) {
        return get(name).flatMap(n -> of(n, field(name), problems));
    }

    Optional<Text> text(String name) {
        return get(name).flatMap(n -> text(n, field(name), problems));
    }

    /** Any scalar reads as its text, so {@code PORT: 8080} in env or argv is the string "8080". */
    static Optional<Text> text(Node node, String field, Problems problems) {
        if (node instanceof Node.Scalar s && s.kind() != Node.ScalarKind.ALIAS && s.kind() != Node.ScalarKind.NULL) {
            return Optional.of(new Text(s.text(), s.at(), field));
        }
        wrongType(node, field, "a string", "write a single value here", problems);
        return Optional.empty();
    }

    Optional<List<Text>> texts(String name) {
        return typed(name, Node.Sequence.class, "a list", "write [a, b] or one \"- item\" per line").map(seq -> {
            List<Text> items = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                text(seq.items().get(i), field(name) + "[" + i + "]", problems).ifPresent(items::add);
            }
            return items;
        });
    }

    /** A mapping with free keys (e.g. env names) and string values. */
    Optional<List<KeyedText>> textMap(String name) {
        return typed(name, Node.Mapping.class, "a mapping", "write one NAME: value per line indented below it").map(m -> {
            List<KeyedText> entries = new ArrayList<>();
            for (Node.Entry e : firstOccurrences(m, field(name), problems)) {
                text(e.value(), join(field(name), e.key()), problems)
                        .ifPresent(t -> entries.add(new KeyedText(e.key(), e.keyAt(), t)));
            }
            return entries;
        });
    }

    /** The value of {@code name} when it is a {@code type}; any other value is reported. */
    private <T extends Node> Optional<T> typed(String name, Class<T> type, String expected, String hint) {
        Optional<Node> value = get(name);
        if (value.isPresent() && !type.isInstance(value.get())) {
            wrongType(value.get(), field(name), expected, hint, problems);
            return Optional.empty();
        }
        return value.map(type::cast);
    }

    Optional<Integer> integer(String name, int min) {
        return number(name, min, Integer.MAX_VALUE).map(Long::intValue);
    }

    Optional<Long> number(String name, long min, long max) {
        Optional<Node> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof Node.Scalar s && s.kind() == Node.ScalarKind.INTEGER)) {
            wrongType(value.get(), field(name), "an integer", "write a whole number without quotes", problems);
            return Optional.empty();
        }
        return inRange(new BigInteger(s.text()), min, max, s.at(), field(name));
    }

    private Optional<Long> inRange(BigInteger n, long min, long max, Location at, String field) {
        if (n.compareTo(BigInteger.valueOf(min)) < 0) {
            problems.add(at, field, "must be at least " + min + ", got " + n, "use a number from " + min + " up");
            return Optional.empty();
        }
        if (n.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.add(at, field, "must be at most " + max + ", got " + n, "use a smaller number");
            return Optional.empty();
        }
        return Optional.of(n.longValue());
    }

    /** A duration such as 30s; a bare 0 is accepted as no time at all. */
    Optional<Duration> duration(String name, boolean positive) {
        Optional<Node> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> parsed = value.get() instanceof Node.Scalar s ? durationOf(s) : Optional.empty();
        if (parsed.isEmpty()) {
            problems.add(value.get().at(), field(name), notA(value.get(), "a duration"),
                    "write a number with a unit: 500ms, 30s, 10m or 1h");
        } else if (positive && parsed.get().isZero()) {
            problems.add(value.get().at(), field(name), "must be longer than 0s", "write a duration such as 30s");
            return Optional.empty();
        }
        return parsed;
    }

    private static Optional<Duration> durationOf(Node.Scalar s) {
        return switch (s.kind()) {
            case STRING -> Durations.parse(s.text());
            case INTEGER -> s.text().equals("0") ? Optional.of(Duration.ZERO) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** A count ({@code 2}) or a percentage ({@code "25%"}). */
    Optional<IntOrPercent> intOrPercent(String name) {
        Optional<Node> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get() instanceof Node.Scalar s && s.kind() == Node.ScalarKind.INTEGER) {
            return inRange(new BigInteger(s.text()), 0, Integer.MAX_VALUE, s.at(), field(name))
                    .map(n -> new IntOrPercent.Count(n.intValue()));
        }
        if (value.get() instanceof Node.Scalar s && s.kind() == Node.ScalarKind.STRING) {
            Matcher m = PERCENT.matcher(s.text());
            if (m.matches() && Integer.parseInt(m.group(1)) <= 100) {
                return Optional.of(new IntOrPercent.Percent(Integer.parseInt(m.group(1))));
            }
        }
        problems.add(value.get().at(), field(name), notA(value.get(), "a count or a percentage"),
                "write a whole number such as 1 or a percentage from 0% to 100% such as \"25%\"");
        return Optional.empty();
    }

    /** "\"ten\" is not a duration" for scalars, "expected a duration, got a list" for the rest. */
    private static String notA(Node node, String expected) {
        if (node instanceof Node.Scalar s && s.kind() != Node.ScalarKind.ALIAS) {
            return "\"" + s.text() + "\" is not " + expected;
        }
        return "expected " + expected + ", got " + node.describe();
    }

    static void wrongType(Node node, String field, String expected, String hint, Problems problems) {
        if (node instanceof Node.Scalar s && s.kind() == Node.ScalarKind.ALIAS) {
            problems.add(node.at(), field, "YAML aliases are not supported", "write the value out in full");
        } else {
            problems.add(node.at(), field, "expected " + expected + ", got " + node.describe(), hint);
        }
    }
}
