package dev.herd.scaling;

import dev.herd.desired.Autoscaling;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A desired pool as the scaler needs it: its autoscaling spec (empty for a fixed count), the count
 * to start from, and its workers as the last reconcile pass saw them.
 *
 * @param name        pool name
 * @param autoscaling empty for a fixed count (only a manual override changes it then)
 * @param start       the count before the first reading: the count the reconcile loop holds (after a
 *                    restart of Herd, the workers the pool has; for a new pool, the file's {@code replicas})
 * @param workers     ids of the pool's workers
 * @param ready       workers running
 * @param starting    workers that exist and are not running yet
 */
public record ScaledPool(String name, Optional<Autoscaling> autoscaling, int start, List<String> workers, int ready, int starting) {
    public ScaledPool {
        Objects.requireNonNull(name);
        Objects.requireNonNull(autoscaling);
        workers = List.copyOf(workers);
    }
}
