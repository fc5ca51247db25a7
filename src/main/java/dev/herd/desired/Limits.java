package dev.herd.desired;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What each worker may use ({@code template.limits}); every one optional. Memory, CPU and
 * processes are cgroup limits over the worker's whole process tree, as systemd's {@code MemoryMax},
 * {@code CPUQuota} and {@code TasksMax}; the others are rlimits of each process.
 *
 * @param memoryBytes  resident memory of the worker's processes together (cgroup memory limit):
 *                     above it the kernel kills them (OOMKilled)
 * @param cpuMillis    CPU quota in thousandths of a core (cgroup CPU bandwidth), as Kubernetes' {@code 250m}
 * @param processes    processes and threads of the worker together (cgroup pids limit)
 * @param openFiles    open file descriptors per process (RLIMIT_NOFILE)
 * @param cpuTime      CPU time per process (RLIMIT_CPU)
 * @param addressSpace virtual address space per process (RLIMIT_AS)
 */
public record Limits(Optional<Long> memoryBytes, Optional<Long> cpuMillis, Optional<Long> processes, Optional<Long> openFiles,
                     Optional<Duration> cpuTime, Optional<Long> addressSpace) {
    public static final Limits NONE = new Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public Limits {
        Objects.requireNonNull(memoryBytes);
        Objects.requireNonNull(cpuMillis);
        Objects.requireNonNull(processes);
        Objects.requireNonNull(openFiles);
        Objects.requireNonNull(cpuTime);
        Objects.requireNonNull(addressSpace);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** Whether any limit needs a cgroup (memory, CPU quota, processes). */
    public boolean needsCgroup() {
        return memoryBytes.isPresent() || cpuMillis.isPresent() || processes.isPresent();
    }

    /** Whether any limit is an rlimit set with {@code prlimit}. */
    public boolean needsRlimits() {
        return openFiles.isPresent() || cpuTime.isPresent() || addressSpace.isPresent();
    }
}
