package dev.herd.reconcile;

import java.time.Instant;

/**
 * A worker's CPU and memory at the last sample.
 *
 * @param cpuPercent  CPU time used over the last sampling interval, in percent of one core (200 = two
 *                    cores busy); 0 where the source cannot measure it (Zinit 0.3.9's stats)
 * @param memoryBytes resident memory (RSS) in bytes
 * @param processes   processes counted (the worker's process group); 1 where only the main process is seen
 * @param source      {@code proc}: the worker's whole process group read from this host's /proc;
 *                    {@code zinit}: Zinit's service stats (main process only)
 * @param sampledAt   when it was sampled
 */
public record ResourceUsage(double cpuPercent, long memoryBytes, int processes, String source, Instant sampledAt) {
}
