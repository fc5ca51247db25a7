package dev.herd.reconcile;

/**
 * One step of a plan. Each is idempotent when applied: creating a worker that exists, removing
 * one that is gone, or starting one that runs changes nothing.
 */
public sealed interface Action {
    String pool();

    String worker();

    /** Why the planner wants this, in words for the event log. */
    String reason();

    /** Create the worker's Zinit service (which starts it). */
    record CreateWorker(String pool, int ordinal, String worker, String reason) implements Action {
    }

    /** Stop the worker (within its shutdown timeout) and remove its service. */
    record RemoveWorker(String pool, String worker, String reason) implements Action {
    }

    /** Start a worker Zinit is not running (stopped, exited, or held back after a crash loop). */
    record StartWorker(String pool, String worker, String reason) implements Action {
    }

    /** Stop a crash-looping worker so it does not spin the host; it is started again after a backoff. */
    record HoldWorker(String pool, String worker, String reason) implements Action {
    }
}
