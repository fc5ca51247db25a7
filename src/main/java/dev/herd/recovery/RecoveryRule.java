package dev.herd.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what becomes of a job a worker holds, and of a job queued for a removed worker. Pure:
 * the caller passes what it read and the time.
 *
 * <p>A job in a worker's processing list is <em>orphaned</em> when the process that took it is known
 * to be dead: it was taken (started, or first seen in the list) before a moment at which no process
 * of that worker could have been holding it ({@link #deadBefore}). A job whose heartbeat is fresh is
 * never orphaned, whatever Zinit says: Zinit counts a worker as exited as soon as its {@code sh -c}
 * wrapper dies, while the worker itself may still be finishing the job in hand after a stop signal
 * (docs/zinit-protocol.md, hazard 7).
 */
public final class RecoveryRule {
    private RecoveryRule() {
    }

    /** What to do with one job. */
    public sealed interface Decision {
    }

    /** Leave it: its worker may still be running it. */
    public record Keep() implements Decision {
    }

    /** Take it off the list and forget it (a finished job, a gone hash, a ping). */
    public record Drop(String why) implements Decision {
    }

    /** Put it back on its pool's queue, to be taken next, with {@code attempts} recorded. */
    public record Requeue(String pool, int attempts, String reason) implements Decision {
    }

    /** Mark it failed with {@code reason} and push its reply, so whoever waits learns it. */
    public record Fail(String reason) implements Decision {
    }

    /**
     * Before which moment every job this worker took was taken by a process that is gone: the
     * moment of the observation when no process ran it, or the start of its current process.
     */
    public static Optional<Instant> deadBefore(WorkerLife life, Instant observedAt) {
        if (life instanceof WorkerLife.Running running) {
            return running.startedAt();
        }
        return Optional.of(observedAt); // absent, or no process: nothing of it can hold a job now
    }

    /** A job found in {@code worker}'s processing list. */
    public static Decision held(String worker, HeldJob job, Optional<Instant> deadBefore, Duration heartbeatLease, Instant now) {
        if (job.facts().isEmpty()) {
            return new Drop("its hash is gone");
        }
        HeldJob.Facts f = job.facts().get();
        if (f.done()) {
            return new Drop("already " + f.status() + "; the worker stopped before clearing it");
        }
        if (f.heartbeat().isPresent() && now.isBefore(f.heartbeat().get().plus(heartbeatLease))) {
            return new Keep();
        }
        Instant takenBy = f.startedAt().filter(s -> s.isBefore(job.firstSeen())).orElse(job.firstSeen());
        if (deadBefore.isEmpty() || !takenBy.isBefore(deadBefore.get())) {
            return new Keep();
        }
        if (f.ping()) {
            return new Drop("a ping held by a dead worker");
        }
        String what = "worker " + worker + " died " + (f.startedAt().isPresent() ? "while running it" : "after taking it");
        if (f.attempts() < f.retries() && !f.pool().isEmpty()) {
            return new Requeue(f.pool(), f.attempts() + 1, what + "; retry " + (f.attempts() + 1) + " of " + f.retries());
        }
        if (f.retries() == 0) {
            return new Fail(what + "; the job allows no retries (retries 0)");
        }
        if (f.pool().isEmpty()) {
            return new Fail(what + "; it names no pool to requeue it to");
        }
        return new Fail(what + "; retries exhausted (" + f.attempts() + " of " + f.retries() + ")");
    }

    /** A job waiting in the own queue of a worker that is being removed or is gone. */
    public static Decision queuedForRemoved(String worker, Optional<HeldJob.Facts> facts, String workerPool) {
        if (facts.isEmpty()) {
            return new Drop("its hash is gone");
        }
        HeldJob.Facts f = facts.get();
        if (f.ping()) {
            return new Drop("a ping for a removed worker");
        }
        if (f.done()) {
            return new Drop("already " + f.status());
        }
        String pool = f.pool().isEmpty() ? workerPool : f.pool();
        if (pool.isEmpty()) {
            return new Fail("it was queued for worker " + worker + ", which was removed, and names no pool to requeue it to");
        }
        return new Requeue(pool, f.attempts(), "queued for worker " + worker + ", which was removed");
    }
}
