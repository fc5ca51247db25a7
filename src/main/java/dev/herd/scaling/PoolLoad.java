package dev.herd.scaling;

import java.util.List;
import java.util.Objects;

/** What one round trip read for a pool: its reading, and each worker's hand (empty when it failed). */
public record PoolLoad(Reading reading, List<WorkerLoad> workers) {
    public PoolLoad {
        Objects.requireNonNull(reading);
        workers = List.copyOf(workers);
    }

    static PoolLoad failed(String reason) {
        return new PoolLoad(new Reading.Failed(reason), List.of());
    }
}
