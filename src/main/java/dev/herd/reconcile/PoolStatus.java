package dev.herd.reconcile;

import java.util.List;

/**
 * A pool's status, as Kubernetes shows a Deployment's.
 *
 * @param name               pool name
 * @param desiredReplicas    workers wanted now
 * @param currentReplicas    workers that exist
 * @param readyReplicas      workers running
 * @param updatedReplicas    workers on the current template
 * @param generation         the spec's generation in the desired state
 * @param observedGeneration the generation the last completed pass acted on
 * @param conditions         Ready, Progressing, Degraded, ConfigInvalid, Conflict, LaunchRefused
 * @param workers            every worker
 */
public record PoolStatus(String name, int desiredReplicas, int currentReplicas, int readyReplicas, int updatedReplicas,
                         long generation, long observedGeneration, List<Condition> conditions, List<WorkerStatus> workers) {
    public PoolStatus {
        conditions = List.copyOf(conditions);
        workers = List.copyOf(workers);
    }

    /** This status with each worker's sampled CPU and memory (a sample of another process is not used). */
    public PoolStatus withUsage(java.util.function.Function<WorkerStatus, java.util.Optional<ResourceUsage>> sampled) {
        return new PoolStatus(name, desiredReplicas, currentReplicas, readyReplicas, updatedReplicas, generation, observedGeneration,
                conditions, workers.stream().map(w -> w.withUsage(sampled.apply(w))).toList());
    }

    public boolean condition(String type) {
        return conditions.stream().anyMatch(c -> c.type().equals(type) && c.status());
    }
}
