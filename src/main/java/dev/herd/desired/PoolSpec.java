package dev.herd.desired;

import java.util.Objects;
import java.util.Optional;

/**
 * What a pool should be.
 *
 * @param scriptType  jobs of this type are routed to this pool (defaults to the pool's name)
 * @param replicas    the fixed count, or with autoscaling the count to start from before the first reading
 *                    (defaults to {@link Defaults#REPLICAS}, or minReplicas with autoscaling)
 * @param template    what each worker's Zinit service runs
 * @param autoscaling scaling by queue depth, empty for a fixed count
 * @param health      ping-based health checking
 * @param strategy    rolling-update bounds for template changes
 * @param queue       how jobs reach the workers: a shared pool queue or each worker's own queue
 */
public record PoolSpec(String scriptType, int replicas, WorkerTemplate template, Optional<Autoscaling> autoscaling,
                       HealthSpec health, Strategy strategy, QueueMode queue) {
    public PoolSpec {
        Objects.requireNonNull(scriptType);
        Objects.requireNonNull(template);
        Objects.requireNonNull(autoscaling);
        Objects.requireNonNull(health);
        Objects.requireNonNull(strategy);
        Objects.requireNonNull(queue);
    }
}
