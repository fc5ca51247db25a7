package dev.herd.zinit;

/**
 * Resource use of a service's process.
 *
 * @param pid         main process, 0 when none runs
 * @param memoryBytes resident memory in bytes
 * @param cpuPercent  CPU use in percent of one core, where the dialect measures it (v0.3.9 reports 0)
 */
public record ServiceStats(int pid, long memoryBytes, double cpuPercent) {
}
