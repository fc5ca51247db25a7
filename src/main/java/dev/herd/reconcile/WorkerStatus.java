package dev.herd.reconcile;

import java.time.Instant;
import java.util.Optional;

/**
 * One worker as shown in a pool's status.
 *
 * @param name         service name
 * @param state        Zinit state, normalised (RUNNING, FAILED, ...)
 * @param pid          process id, 0 when none
 * @param restarts     restarts Herd has seen
 * @param firstSeen    when Herd first saw the worker (its age)
 * @param templateHash template version it runs
 * @param phase        Herd's reading of it
 * @param usage        CPU and memory at the last sample (empty until sampled, or without a process)
 * @param lastTermination why a process of the worker last ended, where Herd knows (Kubernetes' {@code lastState.terminated})
 */
public record WorkerStatus(String name, String state, int pid, int restarts, Instant firstSeen, String templateHash, WorkerPhase phase,
                           Optional<ResourceUsage> usage, Optional<Termination> lastTermination) {
    public WorkerStatus(String name, String state, int pid, int restarts, Instant firstSeen, String templateHash, WorkerPhase phase) {
        this(name, state, pid, restarts, firstSeen, templateHash, phase, Optional.empty(), Optional.empty());
    }

    public WorkerStatus(String name, String state, int pid, int restarts, Instant firstSeen, String templateHash, WorkerPhase phase,
                        Optional<ResourceUsage> usage) {
        this(name, state, pid, restarts, firstSeen, templateHash, phase, usage, Optional.empty());
    }

    public WorkerStatus {
        java.util.Objects.requireNonNull(usage);
        java.util.Objects.requireNonNull(lastTermination);
    }

    public WorkerStatus withUsage(Optional<ResourceUsage> sampled) {
        return new WorkerStatus(name, state, pid, restarts, firstSeen, templateHash, phase, sampled, lastTermination);
    }

    /**
     * How a process of the worker ended.
     *
     * @param reason {@value #OOM_KILLED}: the kernel killed it for going over the memory limit
     * @param at     when Herd saw it
     */
    public record Termination(String reason, Instant at) {
        public static final String OOM_KILLED = "OOMKilled";
    }
}
