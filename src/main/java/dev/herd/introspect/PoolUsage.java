package dev.herd.introspect;

/**
 * A pool's workers together at the last sample (the figures of its metrics).
 *
 * @param cpuPercent      sum over its workers, percent of one core
 * @param memoryBytes     sum of its workers' resident memory
 * @param maxWorkerMemory resident memory of its largest worker (finds the one that grows without a per-worker series)
 * @param workers         workers sampled
 */
public record PoolUsage(double cpuPercent, long memoryBytes, long maxWorkerMemory, int workers) {
    static final PoolUsage NONE = new PoolUsage(0, 0, 0, 0);

    PoolUsage plus(double cpu, long memory) {
        return new PoolUsage(cpuPercent + cpu, memoryBytes + memory, Math.max(maxWorkerMemory, memory), workers + 1);
    }
}
