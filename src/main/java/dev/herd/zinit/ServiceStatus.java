package dev.herd.zinit;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What Zinit reports about one service.
 *
 * @param name         service name
 * @param state        normalised state
 * @param rawState     the state exactly as the dialect wrote it (for messages and debugging)
 * @param pid          process id, 0 when no process runs
 * @param target       what Zinit is trying to achieve: UP (keep running) or DOWN (keep stopped)
 * @param dependencies state text of each dependency, where the dialect reports them
 * @param exitCode     last exit code, where known
 * @param error        Zinit's reason for a failure, empty when none
 */
public record ServiceStatus(
        String name,
        ServiceState state,
        String rawState,
        int pid,
        Target target,
        Map<String, String> dependencies,
        OptionalInt exitCode,
        String error) {

    public enum Target { UP, DOWN, UNKNOWN }

    public ServiceStatus {
        Objects.requireNonNull(name);
        Objects.requireNonNull(state);
        Objects.requireNonNull(rawState);
        Objects.requireNonNull(target);
        dependencies = Map.copyOf(dependencies);
        Objects.requireNonNull(exitCode);
        Objects.requireNonNull(error);
    }

    public static ServiceStatus of(String name, ServiceState state, String rawState, int pid) {
        return new ServiceStatus(name, state, rawState, pid, Target.UNKNOWN, Map.of(), OptionalInt.empty(), "");
    }
}
