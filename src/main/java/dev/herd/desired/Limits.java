package dev.herd.desired;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Kernel limits for each worker process ({@code template.limits}); every one optional.
 *
 * @param memoryBytes address-space / memory limit in bytes
 * @param openFiles   open file descriptors
 * @param processes   processes of the worker's user
 * @param cpuTime     CPU time
 */
public record Limits(Optional<Long> memoryBytes, Optional<Long> openFiles, Optional<Long> processes,
                     Optional<Duration> cpuTime) {
    public static final Limits NONE = new Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public Limits {
        Objects.requireNonNull(memoryBytes);
        Objects.requireNonNull(openFiles);
        Objects.requireNonNull(processes);
        Objects.requireNonNull(cpuTime);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
