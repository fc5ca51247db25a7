package dev.herd.zinit;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a service runs. Zinit v0.3 hands {@code exec} to {@code /bin/sh -c} and v0.2 splits it like a
 * shell, so an argv is rendered with POSIX quoting: each element stays exactly one argument and no
 * value inside it can add words, redirections or command substitutions.
 */
public sealed interface Command {

    /** The command line Zinit receives. */
    String toCommandLine();

    /** The program that will run (first word), for checks before anything is started. */
    String program();

    /** An argument vector: every element is one argument, quoted where needed. */
    record Argv(List<String> args) implements Command {
        private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

        public Argv {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("a command needs at least the program to run");
            }
            args = List.copyOf(args);
        }

        @Override
        public String toCommandLine() {
            return args.stream().map(Argv::quote).collect(Collectors.joining(" "));
        }

        @Override
        public String program() {
            return args.get(0);
        }

        /** POSIX single-quoting: the value stays exactly one word for {@code sh -c} and shell-words splitters. */
        public static String quote(String arg) {
            if (SAFE.matcher(arg).matches()) {
                return arg;
            }
            return "'" + arg.replace("'", "'\\''") + "'";
        }
    }

    /** A command line the user wrote as shell text; it is passed on unchanged. */
    record Shell(String line) implements Command {
        public Shell {
            if (line.isBlank()) {
                throw new IllegalArgumentException("a command line cannot be empty");
            }
        }

        @Override
        public String toCommandLine() {
            return line;
        }

        @Override
        public String program() {
            return line.strip().split("\\s+", 2)[0];
        }
    }
}
