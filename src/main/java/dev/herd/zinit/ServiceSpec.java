package dev.herd.zinit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Herd asks Zinit to run, independent of dialect.
 *
 * <p>{@code command} is either an argv list (each element one argument, never re-split or
 * interpreted by a shell) or a command line the user wrote as such; see {@link Command}.
 *
 * @param name            service name (checked by {@link ServiceNames})
 * @param command         what to run
 * @param env             extra environment
 * @param dir             working directory, empty for Zinit's default
 * @param after           services that must be running first
 * @param test            health test command line, empty for none
 * @param restart         restart policy
 * @param stopSignal      signal name sent on stop, e.g. SIGTERM
 * @param shutdownTimeout how long a stop may take before SIGKILL
 * @param logMode         where the service's output goes
 */
public record ServiceSpec(
        String name,
        Command command,
        Map<String, String> env,
        Optional<String> dir,
        List<String> after,
        Optional<String> test,
        RestartPolicy restart,
        String stopSignal,
        Duration shutdownTimeout,
        LogMode logMode) {

    public enum LogMode { RING, STDOUT, NONE }

    public ServiceSpec {
        ServiceNames.check(name);
        Objects.requireNonNull(command);
        env = Map.copyOf(env);
        Objects.requireNonNull(dir);
        after = List.copyOf(after);
        Objects.requireNonNull(test);
        Objects.requireNonNull(restart);
        Objects.requireNonNull(stopSignal);
        Objects.requireNonNull(shutdownTimeout);
        Objects.requireNonNull(logMode);
    }

    /** A spec with Zinit's usual defaults: restart always, SIGTERM, 10 s to stop, logs kept in a ring. */
    public static ServiceSpec of(String name, Command command) {
        return new ServiceSpec(name, command, Map.of(), Optional.empty(), List.of(), Optional.empty(),
                RestartPolicy.ALWAYS, "SIGTERM", Duration.ofSeconds(10), LogMode.RING);
    }

    public ServiceSpec withEnv(Map<String, String> newEnv) {
        return new ServiceSpec(name, command, newEnv, dir, after, test, restart, stopSignal, shutdownTimeout, logMode);
    }

    public ServiceSpec withAfter(List<String> newAfter) {
        return new ServiceSpec(name, command, env, dir, newAfter, test, restart, stopSignal, shutdownTimeout, logMode);
    }

    public ServiceSpec withRestart(RestartPolicy policy) {
        return new ServiceSpec(name, command, env, dir, after, test, policy, stopSignal, shutdownTimeout, logMode);
    }
}
