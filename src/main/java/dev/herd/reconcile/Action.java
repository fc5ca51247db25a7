package dev.herd.reconcile;

/**
 * One step of a plan. Each is idempotent when applied: creating a worker that exists, removing
 * one that is gone or already terminating, or starting one that runs changes nothing.
 */
public sealed interface Action {
    String pool();

    String worker();

    /** Why the planner wants this, in words for the event log. */
    String reason();

    /** Create the worker's Zinit service (which starts it). */
    record CreateWorker(String pool, int ordinal, String worker, String reason) implements Action {
    }

    /**
     * Start removing the worker: send its stop and go on. It is then {@link Terminating} (finishing
     * the job in hand within its shutdownTimeout, SIGKILL after it) outside any pass.
     *
     * @param replace the worker is to come back under its own name (its process is gone; Zinit
     *                lost its exit): nothing to wait for, and no other name replaces it meanwhile
     */
    record RemoveWorker(String pool, String worker, String reason, boolean replace) implements Action {
        public RemoveWorker(String pool, String worker, String reason) {
            this(pool, worker, reason, false);
        }
    }

    /**
     * Finish removing a worker whose process is gone: hand back its own queue (the removal hook)
     * and delete its service. Deletes run one at a time, from the highest Zinit list position down.
     */
    record DeleteWorker(String pool, String worker, String reason) implements Action {
    }

    /** Start a worker Zinit is not running (stopped, exited, or held back after a crash loop). */
    record StartWorker(String pool, String worker, String reason) implements Action {
    }

    /** Stop a crash-looping worker so it does not spin the host; it is started again after a backoff. */
    record HoldWorker(String pool, String worker, String reason) implements Action {
    }

    /**
     * End the worker's process at once (SIGKILL to its process group, which a hung or frozen worker
     * cannot ignore) so that Zinit starts it afresh under the same name: asked for by another part
     * of Herd ({@link RestartRequest}), e.g. the health monitor after failed pings.
     */
    record RestartWorker(String pool, String worker, String reason) implements Action {
    }
}
