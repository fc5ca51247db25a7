package dev.herd.desired;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads the documents of one YAML text ({@code ---} separated) into position-carrying {@link Node} trees. */
final class YamlDocuments {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlDocuments() {
    }

    sealed interface Result {
    }

    /** Every document of the text; empty documents are left out. */
    record Parsed(List<Node> documents) implements Result {
    }

    /** The text is not valid YAML; nothing of it is used. */
    record SyntaxError(Location at, String message, String hint) implements Result {
    }

    static Result read(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            List<Node> documents = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Node document = node(parser, token);
                if (!(document instanceof Node.Scalar s && s.kind() == Node.ScalarKind.NULL)) {
                    documents.add(document);
                }
            }
            return new Parsed(List.copyOf(documents));
        } catch (JsonProcessingException e) {
            return syntaxError(e);
        } catch (IOException | RuntimeException e) {
            // SnakeYAML throws a few unchecked errors of its own (e.g. on control characters).
            return new SyntaxError(Location.FILE, "YAML syntax error: " + oneLine(String.valueOf(e.getMessage())),
                    "check the file's characters and structure");
        }
    }

    private static Node node(JsonParser p, JsonToken token) throws IOException {
        Location at = location(p.currentTokenLocation());
        switch (token) {
            case START_OBJECT -> {
                List<Node.Entry> entries = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = location(p.currentTokenLocation());
                    entries.add(new Node.Entry(key, keyAt, node(p, p.nextToken())));
                }
                return new Node.Mapping(List.copyOf(entries), at);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(node(p, next));
                }
                return new Node.Sequence(List.copyOf(items), at);
            }
            case VALUE_NUMBER_INT -> {
                return new Node.Scalar(p.getBigIntegerValue().toString(), Node.ScalarKind.INTEGER, at);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node.Scalar(p.getText(), Node.ScalarKind.FLOAT, at);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node.Scalar(p.getText(), Node.ScalarKind.BOOLEAN, at);
            }
            case VALUE_NULL -> {
                return new Node.Scalar("", Node.ScalarKind.NULL, at);
            }
            default -> {
                boolean alias = p instanceof YAMLParser y && y.isCurrentAlias();
                return new Node.Scalar(p.getText(), alias ? Node.ScalarKind.ALIAS : Node.ScalarKind.STRING, at);
            }
        }
    }

    private static SyntaxError syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            String hint = Optional.ofNullable(m.getContext())
                    .map(c -> oneLine(c) + contextLine(m.getContextMark()))
                    .orElse("check indentation, quotes and brackets here");
            return new SyntaxError(location(m.getProblemMark()), "YAML syntax error: " + oneLine(m.getProblem()), hint);
        }
        Location at = e.getLocation() == null ? Location.FILE : location(e.getLocation());
        return new SyntaxError(at, "YAML syntax error: " + oneLine(e.getOriginalMessage()),
                "check indentation, quotes and brackets here");
    }

    private static String contextLine(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1);
    }

    private static Location location(Mark mark) {
        return new Location(mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static Location location(JsonLocation loc) {
        return new Location(Math.max(loc.getLineNr(), 0), Math.max(loc.getColumnNr(), 0));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
