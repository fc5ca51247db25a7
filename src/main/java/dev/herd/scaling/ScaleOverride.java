package dev.herd.scaling;

import java.time.Instant;

/**
 * A manual count set over HTTP (the original design's {@code scale_workers(type, n)}), in force
 * until {@code until}; then the file's count or the autoscaler takes over again.
 */
public record ScaleOverride(int replicas, Instant until) {
    public ScaleOverride {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas cannot be negative: " + replicas);
        }
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
