/**
 * Reconcile: the heart of Herd. A pure {@link dev.herd.reconcile.Planner} turns (desired pools,
 * observed Zinit services, memory of past passes, the time) into a {@link dev.herd.reconcile.Plan}
 * of {@link dev.herd.reconcile.Action}s; the imperative shell observes Zinit, applies plans with
 * bounded parallelism and per-pool backoff, and keeps each pool's status and an event ring.
 */
package dev.herd.reconcile;
