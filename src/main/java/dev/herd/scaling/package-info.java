/**
 * Scaling by queue depth. A pure {@link dev.herd.scaling.ScalingDecider} turns (a pool's autoscaling
 * spec, one reading of its queue, the count in force, memory of recent recommendations, the time)
 * into a {@link dev.herd.scaling.Decision} that names the rule, window or step limit that decided it.
 * The imperative shell ({@link dev.herd.scaling.Autoscaler}) reads every pool's queue and in-flight
 * work in one pipelined Redis round trip per tick ({@link dev.herd.scaling.QueueReader}), publishes
 * each pool's desired count and which workers to remove first, and asks the reconcile loop for a
 * pass whenever a count changes.
 */
package dev.herd.scaling;
