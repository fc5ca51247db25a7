/**
 * Recovery: no job is lost when the worker holding it dies, is restarted or is removed. Jobs left
 * in a dead worker's processing list are requeued to their pool while retries remain, or failed
 * with the reason (and their reply pushed); jobs in a removed worker's own queue go back to its
 * pool's queue. {@link dev.herd.recovery.RecoveryRule} decides (pure); {@link dev.herd.recovery.JobRecovery}
 * reads Redis and Zinit and carries the decisions out.
 */
package dev.herd.recovery;
