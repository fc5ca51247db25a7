/**
 * What workers are doing: CPU and memory sampled per worker (its whole process group, from this
 * host's /proc, or Zinit's stats where Herd does not share Zinit's pids) off the reconcile thread,
 * published in pool status and as per-pool metrics.
 */
package dev.herd.introspect;
