package dev.herd.desired;

import dev.herd.zinit.Command;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What each worker's Zinit service runs. Environment references ({@code ${VAR}}) are already expanded;
 * placeholders ({@code {{workerId}}} ...) are filled per worker by the {@code render} methods.
 * The env map is sorted so iteration (and any hash of the template) is stable.
 *
 * @param exec            the command
 * @param test            Zinit's health test command line
 * @param env             extra environment of the worker
 * @param after           Zinit services that must run first
 * @param dir             working directory
 * @param stopSignal      signal sent on stop, e.g. SIGTERM (always the SIG-prefixed name)
 * @param shutdownTimeout how long a stop may take before SIGKILL
 * @param user            user to run as
 * @param group           group to run as
 * @param limits          kernel limits per worker
 * @param verifySha256    expected SHA-256 (lowercase hex) of the program file
 */
public record WorkerTemplate(Exec exec, Optional<String> test, Map<String, String> env, List<String> after,
                             Optional<String> dir, String stopSignal, Duration shutdownTimeout,
                             Optional<String> user, Optional<String> group, Limits limits,
                             Optional<String> verifySha256) {

    public WorkerTemplate {
        Objects.requireNonNull(exec);
        Objects.requireNonNull(test);
        env = Collections.unmodifiableMap(new TreeMap<>(env));
        after = List.copyOf(after);
        Objects.requireNonNull(dir);
        Objects.requireNonNull(stopSignal);
        Objects.requireNonNull(shutdownTimeout);
        Objects.requireNonNull(user);
        Objects.requireNonNull(group);
        Objects.requireNonNull(limits);
        Objects.requireNonNull(verifySha256);
    }

    /** A template with every default, for code and tests that build one by hand. */
    public static WorkerTemplate of(Exec exec) {
        return new WorkerTemplate(exec, Optional.empty(), Map.of(), List.of(), Optional.empty(), Defaults.STOP_SIGNAL,
                Defaults.SHUTDOWN_TIMEOUT, Optional.empty(), Optional.empty(), Limits.NONE, Optional.empty());
    }

    /** The final command: the argv (or line) with every placeholder filled from {@code vars}. */
    public Exec render(Map<String, String> vars) {
        return exec.render(vars);
    }

    /** The health test command line, filled like {@link Exec.Line}. */
    public Optional<String> renderTest(Map<String, String> vars) {
        return test.map(t -> Placeholders.substitute(t, vars, Command.Argv::quote));
    }

    /** The environment with placeholders in values filled (a value is never split or quoted). */
    public Map<String, String> renderEnv(Map<String, String> vars) {
        Map<String, String> rendered = new TreeMap<>();
        env.forEach((k, v) -> rendered.put(k, Placeholders.substitute(v, vars, UnaryOperator.identity())));
        return Collections.unmodifiableMap(rendered);
    }

    public Optional<String> renderDir(Map<String, String> vars) {
        return dir.map(d -> Placeholders.substitute(d, vars, UnaryOperator.identity()));
    }
}
