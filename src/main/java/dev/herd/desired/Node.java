package dev.herd.desired;

import java.util.List;
import java.util.Optional;

/**
 * A YAML value with the position it was written at. Jackson's own trees forget positions, and every
 * error must name a line and column, so the parser builds this small tree from the token stream.
 */
sealed interface Node {
    Location at();

    /** How the value reads to a user, for "expected X, got Y" messages. */
    String describe();

    enum ScalarKind {
        STRING("a string"), INTEGER("an integer"), FLOAT("a number"), BOOLEAN("a boolean"), NULL("null"),
        ALIAS("an alias");

        final String description;

        ScalarKind(String description) {
            this.description = description;
        }
    }

    record Scalar(String text, ScalarKind kind, Location at) implements Node {
        @Override
        public String describe() {
            return kind.description;
        }
    }

    record Entry(String key, Location keyAt, Node value) {
    }

    record Mapping(List<Entry> entries, Location at) implements Node {
        Optional<Entry> entry(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).findFirst();
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<Node> items, Location at) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
