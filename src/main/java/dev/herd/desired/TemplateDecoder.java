package dev.herd.desired;

import dev.herd.zinit.Command;

import dev.herd.zinit.ServiceNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads {@code spec.template}. Environment references are expanded here, once, from the injected
 * environment; placeholders are only checked (they are filled per worker by {@link WorkerTemplate}).
 */
final class TemplateDecoder {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,15})(Ki|Mi|Gi|K|M|G)?");
    private static final Pattern CPU = Pattern.compile("(\\d{1,7}(?:\\.\\d{1,3})?)(m)?");
    private static final long MIN_CPU_MILLIS = 10;
    private static final long MAX_CPU_MILLIS = 1_000_000;

    private final MappingReader template;
    private final Problems problems;
    private final Map<String, String> environment;

    TemplateDecoder(MappingReader template, Problems problems, Map<String, String> environment) {
        this.template = template;
        this.problems = problems;
        this.environment = environment;
    }

    Optional<WorkerTemplate> decode() {
        int before = problems.count();
        Optional<Exec> exec = template.require("exec", "add exec: the program and its arguments as a list")
                ? exec(template.get("exec").orElseThrow()) : Optional.empty();
        Optional<String> test = template.text("test").map(t -> expand(t, true));
        Map<String, String> env = env();
        List<String> after = template.texts("after").map(this::after).orElse(List.of());
        Optional<String> dir = template.text("dir").map(t -> expand(t, false));
        String stopSignal = template.text("stopSignal").flatMap(this::signal).orElse(Defaults.STOP_SIGNAL);
        var shutdownTimeout = template.duration("shutdownTimeout", false).orElse(Defaults.SHUTDOWN_TIMEOUT);
        Optional<String> user = template.text("user").filter(this::account).map(MappingReader.Text::value);
        Optional<String> group = template.text("group").filter(this::account).map(MappingReader.Text::value);
        Limits limits = template.mapping("limits").map(this::limits).orElse(Limits.NONE);
        Optional<String> sha256 = template.mapping("verify").flatMap(this::sha256);
        if (problems.count() > before || exec.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerTemplate(exec.get(), test, env, after, dir, stopSignal, shutdownTimeout,
                user, group, limits, sha256));
    }

    private Optional<Exec> exec(Node node) {
        String field = template.field("exec");
        if (node instanceof Node.Sequence seq) {
            List<String> args = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                MappingReader.text(seq.items().get(i), field + "[" + i + "]", problems).ifPresent(t -> args.add(expand(t, false)));
            }
            if (seq.items().isEmpty()) {
                problems.add(node.at(), field, "must not be empty", "give the program and its arguments, "
                        + "e.g. [\"/usr/local/bin/worker\", \"--worker-id\", \"{{workerId}}\"]");
            } else if (!args.isEmpty() && args.get(0).isBlank()) {
                problems.add(seq.items().get(0).at(), field + "[0]", "the program must not be empty",
                        "put the program's path first");
            }
            return args.size() == seq.items().size() && !args.isEmpty() && !args.get(0).isBlank()
                    ? Optional.of(new Exec.Argv(args)) : Optional.empty();
        }
        if (node instanceof Node.Scalar s && s.kind() == Node.ScalarKind.STRING) {
            String line = expand(new MappingReader.Text(s.text(), s.at(), field), true);
            if (line.isBlank()) {
                problems.add(node.at(), field, "must not be empty", "give the command line to run");
                return Optional.empty();
            }
            return Optional.of(new Exec.Line(line));
        }
        MappingReader.wrongType(node, field, "a list of arguments or a command line",
                "write [\"/path/to/program\", \"--flag\", \"value\"]", problems);
        return Optional.empty();
    }

    /** Expands ${VAR} references (shell-quoted in command lines) and checks the placeholders. */
    private String expand(MappingReader.Text text, boolean commandLine) {
        UnaryOperator<String> quote = commandLine ? Command.Argv::quote : UnaryOperator.identity();
        EnvReferences.Expanded expanded = EnvReferences.expand(text.value(), environment, quote);
        expanded.complaints().forEach(c -> problems.add(text.at(), text.field(), c));
        Placeholders.check(expanded.text()).forEach(c -> problems.add(text.at(), text.field(), c));
        return Placeholders.canonical(expanded.text());
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (MappingReader.KeyedText e : template.textMap("env").orElse(List.of())) {
            if (ENV_NAME.matcher(e.key()).matches()) {
                env.put(e.key(), expand(e.value(), false));
            } else {
                problems.add(e.keyAt(), e.value().field(), "\"" + e.key() + "\" is not a valid environment variable name",
                        "use letters, digits and '_', not starting with a digit");
            }
        }
        return env;
    }

    private List<String> after(List<MappingReader.Text> services) {
        List<String> names = new ArrayList<>();
        for (MappingReader.Text service : services) {
            String problem = ServiceNames.problem(service.value());
            if (problem.isEmpty()) {
                names.add(service.value());
            } else {
                problems.add(service.at(), service.field(), problem, "name a Zinit service, e.g. redis");
            }
        }
        return names;
    }

    private Optional<String> signal(MappingReader.Text text) {
        if (Signals.isKnown(text.value())) {
            return Optional.of(text.value());
        }
        String hint = Signals.suggestion(text.value()).map(s -> "did you mean " + s + "?")
                .orElse("use one of " + String.join(", ", Signals.NAMES));
        problems.add(text.at(), text.field(), "unknown signal \"" + text.value() + "\"", hint);
        return Optional.empty();
    }

    private boolean account(MappingReader.Text text) {
        if (ACCOUNT.matcher(text.value()).matches()) {
            return true;
        }
        problems.add(text.at(), text.field(), "\"" + text.value() + "\" is not a valid user or group",
                "give a name or a numeric id");
        return false;
    }

    private Limits limits(MappingReader limits) {
        return new Limits(limits.text("memory").flatMap(this::bytes),
                limits.text("cpu").flatMap(this::cpu),
                limits.number("processes", 1, Long.MAX_VALUE),
                limits.number("openFiles", 1, Long.MAX_VALUE),
                limits.duration("cpuTime", true),
                limits.text("addressSpace").flatMap(this::bytes));
    }

    /** A CPU quantity as in Kubernetes: cores ({@code 2}, {@code 0.5}) or thousandths of a core ({@code 250m}). */
    private Optional<Long> cpu(MappingReader.Text text) {
        var m = CPU.matcher(text.value());
        if (m.matches()) {
            BigDecimal millis = m.group(2) != null ? new BigDecimal(m.group(1))
                    : new BigDecimal(m.group(1)).movePointRight(3);
            // the kernel's smallest quota is 1 ms per 100 ms period: 10m
            if (millis.scale() <= 0 || millis.stripTrailingZeros().scale() <= 0) {
                long value = millis.longValue();
                if (value >= MIN_CPU_MILLIS && value <= MAX_CPU_MILLIS) {
                    return Optional.of(value);
                }
            }
        }
        problems.add(text.at(), text.field(), "\"" + text.value() + "\" is not a CPU quota Herd can set",
                "write cores (0.5, 2) or thousandths of a core (250m), from 10m to " + MAX_CPU_MILLIS / 1000 + " cores");
        return Optional.empty();
    }

    /** A memory size: bytes, or with a K/M/G (1000) or Ki/Mi/Gi (1024) suffix as in Kubernetes. */
    private Optional<Long> bytes(MappingReader.Text text) {
        var m = BYTES.matcher(text.value());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(text.at(), text.field(), "\"" + text.value() + "\" is not a memory size",
                    "write bytes or a size such as 512Mi or 2Gi");
            return Optional.empty();
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            default -> 1L << 30;
        };
        try {
            return Optional.of(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        } catch (ArithmeticException e) {
            problems.add(text.at(), text.field(), "\"" + text.value() + "\" is too large", "write a smaller size");
            return Optional.empty();
        }
    }

    private Optional<String> sha256(MappingReader verify) {
        verify.require("sha256", "add sha256: the program's digest as sha256sum prints it");
        return verify.text("sha256").filter(t -> {
            if (SHA256.matcher(t.value()).matches()) {
                return true;
            }
            problems.add(t.at(), t.field(), "\"" + t.value() + "\" is not a SHA-256 digest",
                    "give the 64 hex digits sha256sum prints");
            return false;
        }).map(t -> t.value().toLowerCase(Locale.ROOT));
    }
}
