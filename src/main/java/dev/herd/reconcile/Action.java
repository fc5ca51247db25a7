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

    /** What kind of step this is: its name in the API, the metrics and the events. */
    default Kind kind() {
        return Kind.of(this);
    }

    /** The steps' names as the API, the metrics and the events give them, independent of class names. */
    enum Kind {
        CREATE("CreateWorker", "Created"),
        REUSE("ReuseWorker", "Reused"),
        REMOVE("RemoveWorker", "Terminating"),
        DELETE("DeleteWorker", "Removed"),
        START("StartWorker", "Started"),
        HOLD("HoldWorker", "CrashLoopBackOff"),
        RESTART("RestartWorker", "Restarted");

        private final String text;
        private final String eventReason;

        Kind(String text, String eventReason) {
            this.text = text;
            this.eventReason = eventReason;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return text;
        }

        static Kind of(Action a) {
            if (a instanceof CreateWorker) {
                return CREATE;
            } else if (a instanceof ReuseWorker) {
                return REUSE;
            } else if (a instanceof RemoveWorker) {
                return REMOVE;
            } else if (a instanceof DeleteWorker) {
                return DELETE;
            } else if (a instanceof StartWorker) {
                return START;
            } else if (a instanceof HoldWorker) {
                return HOLD;
            } else if (a instanceof RestartWorker) {
                return RESTART;
            }
            throw new IllegalStateException("no kind for " + a);
        }

        /** The reason of the event recorded when a step of this kind succeeded. */
        public String eventReason() {
            return eventReason;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Create the worker's Zinit service (which starts it). */
    record CreateWorker(String pool, int ordinal, String worker, String reason) implements Action {
    }

    /**
     * Start a removed worker's service again instead of creating one: its process is gone, its
     * delete was parked ({@link SlotSafeDeletes}), and it runs the pool's current template. It is
     * the pool's worker again, in the slot it kept.
     */
    record ReuseWorker(String pool, String worker, String reason) implements Action {
    }

    /**
     * Start removing the worker: send its stop and go on. It is then {@link Terminating} (finishing
     * the job in hand within its shutdownTimeout, SIGKILL after it) outside any pass.
     *
     * @param replace the worker's process is gone (Zinit lost its exit): nothing to wait for, no
     *                removal order to keep; a new worker takes its place
     */
    record RemoveWorker(String pool, String worker, String reason, boolean replace) implements Action {
        public RemoveWorker(String pool, String worker, String reason) {
            this(pool, worker, reason, false);
        }
    }

    /**
     * Delete the service of a removed worker whose process is gone (its own queue was handed back
     * when it exited). A plan's deletes form a stage of their own, sent one at a time in the order
     * {@link SlotSafeDeletes} gives.
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
