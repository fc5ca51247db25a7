package dev.herd.reconcile;

import java.time.Instant;

/**
 * A Kubernetes-style condition of a pool.
 *
 * @param type               Ready, Progressing, Degraded, ConfigInvalid, Conflict, LaunchRefused, HostCapacity or LimitsNotEnforced
 * @param status             whether it holds
 * @param reason             one CamelCase word for machines
 * @param message            a sentence for people, saying what to do when something is wrong
 * @param lastTransitionTime when {@code status} last changed
 */
public record Condition(String type, boolean status, String reason, String message, Instant lastTransitionTime) {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String CONFIG_INVALID = "ConfigInvalid";
    public static final String CONFLICT = "Conflict";
    /** Herd will not launch the pool's workers (program missing or tampered, unknown user, root forbidden). */
    public static final String LAUNCH_REFUSED = "LaunchRefused";
    /** True while the cap on workers per host ({@code herd.workers.max-per-host}) holds this pool's creations back. */
    public static final String HOST_CAPACITY = "HostCapacity";
    /** True while some of the template's limits (memory, cpu, processes) cannot be enforced on this host: no writable cgroup. */
    public static final String LIMITS_NOT_ENFORCED = "LimitsNotEnforced";

    /** Same condition with a new reading; the transition time moves only when the status flips. */
    Condition next(boolean newStatus, String newReason, String newMessage, Instant now) {
        return new Condition(type, newStatus, newReason, newMessage, newStatus == status ? lastTransitionTime : now);
    }
}
