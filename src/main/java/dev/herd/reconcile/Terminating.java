package dev.herd.reconcile;

import java.time.Instant;
import java.util.Optional;

/**
 * A worker Herd is removing: its stop was sent and it is finishing the job in hand. It stays in
 * Zinit, its name taken, until its process is gone; then its own queue is handed back and a pass
 * deletes its service, or keeps it stopped while a delete would move a running one
 * ({@link SlotSafeDeletes}).
 *
 * @param worker   service name
 * @param pool     its pool
 * @param ordinal  its ordinal (taken until the removal is finished)
 * @param reason   why it is being removed, for the events
 * @param since    when the stop was sent
 * @param deadline when it gets SIGKILL if still running ({@code since} + the pool's shutdownTimeout)
 * @param exit     once its process is gone: when, and how it ended
 * @param replace  its process was gone already (Zinit lost its exit): nothing to finish
 */
public record Terminating(String worker, String pool, int ordinal, String reason, Instant since, Instant deadline,
                         Optional<Exit> exit, boolean replace) {

    /** Just begun: stop sent, not exited. */
    public Terminating(String worker, String pool, int ordinal, String reason, Instant since, Instant deadline, boolean replace) {
        this(worker, pool, ordinal, reason, since, deadline, Optional.empty(), replace);
    }

    /**
     * How a terminating worker's process ended.
     *
     * @param at  when Herd saw it gone
     * @param how in words: stopped within its shutdownTimeout, killed after it, ...
     */
    public record Exit(Instant at, String how) {
    }

    public boolean exited() {
        return exit.isPresent();
    }
}
