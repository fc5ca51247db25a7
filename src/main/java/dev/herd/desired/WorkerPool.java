package dev.herd.desired;

import java.util.Objects;

/** One WorkerPool document: a named, validated pool spec with every default filled in. */
public record WorkerPool(String name, PoolSpec spec) {
    public WorkerPool {
        Objects.requireNonNull(name);
        Objects.requireNonNull(spec);
    }
}
