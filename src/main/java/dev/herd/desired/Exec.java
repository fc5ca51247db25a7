package dev.herd.desired;

import dev.herd.zinit.Command;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a worker runs: an argv list (each element one argument) or a single command line.
 * Rendering fills the placeholders; a filled-in value always stays inside one argument: in an argv it
 * is part of its element, in a command line it is shell-quoted when it holds anything but plain
 * characters. (So in a command line, write placeholders outside quotes.)
 */
public sealed interface Exec {

    /** This command with every placeholder replaced by its value from {@code vars}. */
    Exec render(Map<String, String> vars);

    /** The texts that may hold placeholders, for validation. */
    List<String> texts();

    record Argv(List<String> args) implements Exec {
        public Argv {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("an argv needs at least the program to run");
            }
            args = List.copyOf(args);
        }

        @Override
        public Exec render(Map<String, String> vars) {
            return new Argv(args.stream().map(a -> Placeholders.substitute(a, vars, UnaryOperator.identity())).toList());
        }

        @Override
        public List<String> texts() {
            return args;
        }
    }

    record Line(String line) implements Exec {
        public Line {
            if (line.isBlank()) {
                throw new IllegalArgumentException("a command line cannot be empty");
            }
        }

        @Override
        public Exec render(Map<String, String> vars) {
            return new Line(Placeholders.substitute(line, vars, Command.Argv::quote));
        }

        @Override
        public List<String> texts() {
            return List.of(line);
        }
    }
}
