package dev.herd.reconcile;

import dev.herd.launch.LaunchRefusal;
import java.util.List;
import java.util.Optional;

/**
 * What the planner needs to know of one desired pool: how many workers, which template version,
 * how far a rollout may go, and which services its workers start after.
 *
 * @param name           pool name
 * @param replicas       desired number of workers (already decided by fixed count or autoscaling)
 * @param templateHash   hash of the normalised worker template; a worker with another hash is outdated
 * @param maxSurge       workers allowed above {@code replicas} during a rollout
 * @param maxUnavailable workers allowed below {@code replicas} ready during a rollout
 * @param after          Zinit services (or other pools' workers) these workers start after
 * @param removeFirst    workers to remove first when the pool shrinks, most preferred first (the
 *                       scaler's choice: idle longest first, busy last); others follow by the default order
 * @param launchRefused  why no worker of this pool may be launched now (bad binary, unknown user, root
 *                       forbidden): then none is created or started, and no running worker is replaced
 * @param keepCount      an autoscaled pool its scaler has not read yet (Herd just started): keep the
 *                       workers it has, within these bounds, rather than the file's count, so that a
 *                       restart of Herd removes and recreates nothing ({@link #resolved})
 */
public record DesiredPool(String name, int replicas, String templateHash, int maxSurge, int maxUnavailable, List<String> after,
                          List<String> removeFirst, Optional<LaunchRefusal> launchRefused, Optional<KeepCount> keepCount) {
    /** Bounds within which the count observed is kept. */
    public record KeepCount(int min, int max) {
    }

    public DesiredPool(String name, int replicas, String templateHash, int maxSurge, int maxUnavailable, List<String> after,
                       List<String> removeFirst, Optional<LaunchRefusal> launchRefused) {
        this(name, replicas, templateHash, maxSurge, maxUnavailable, after, removeFirst, launchRefused, Optional.empty());
    }

    public DesiredPool(String name, int replicas, String templateHash, int maxSurge, int maxUnavailable, List<String> after) {
        this(name, replicas, templateHash, maxSurge, maxUnavailable, after, List.of());
    }

    public DesiredPool(String name, int replicas, String templateHash, int maxSurge, int maxUnavailable, List<String> after,
                       List<String> removeFirst) {
        this(name, replicas, templateHash, maxSurge, maxUnavailable, after, removeFirst, Optional.empty());
    }

    public DesiredPool withLaunchRefused(Optional<LaunchRefusal> refusal) {
        return new DesiredPool(name, replicas, templateHash, maxSurge, maxUnavailable, after, removeFirst, refusal, keepCount);
    }

    public DesiredPool keepingCount(KeepCount bounds) {
        return new DesiredPool(name, replicas, templateHash, maxSurge, maxUnavailable, after, removeFirst, launchRefused, Optional.of(bounds));
    }

    /**
     * The count to plan for: with {@link #keepCount}, the pool's workers as observed (those being
     * removed not counted) within its bounds, or {@code replicas} when it has none and may not be at
     * zero; else {@code replicas}.
     */
    public DesiredPool resolved(Observation observation, Terminations terminating) {
        if (keepCount.isEmpty()) {
            return this;
        }
        long live = observation.ofPool(name).stream().filter(w -> !terminating.contains(w.name())).count();
        // none at all: a new pool starts at the file's count, unless it may be at zero (then it may have been scaled there)
        int count = live == 0 && keepCount.get().min() > 0 ? replicas
                : (int) Math.max(keepCount.get().min(), Math.min(keepCount.get().max(), live));
        return new DesiredPool(name, count, templateHash, maxSurge, maxUnavailable, after, removeFirst, launchRefused, Optional.empty());
    }

    public DesiredPool {
        if (replicas < 0 || maxSurge < 0 || maxUnavailable < 0) {
            throw new IllegalArgumentException("counts cannot be negative");
        }
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1; // as in Kubernetes: a rollout must be able to make progress
        }
        after = List.copyOf(after);
        removeFirst = List.copyOf(removeFirst);
        java.util.Objects.requireNonNull(launchRefused);
        java.util.Objects.requireNonNull(keepCount);
    }
}
