/**
 * Reconcile: the heart of Herd. A pure {@link dev.herd.reconcile.Planner} turns (desired pools,
 * observed Zinit services, memory of past passes, the time) into a {@link dev.herd.reconcile.Plan}
 * of {@link dev.herd.reconcile.Action}s; the imperative shell observes Zinit, applies plans with
 * bounded parallelism and per-pool backoff, keeps each pool's status and an event ring, and lets
 * removed workers finish outside the passes ({@link dev.herd.reconcile.Terminations}).
 */
package dev.herd.reconcile;
