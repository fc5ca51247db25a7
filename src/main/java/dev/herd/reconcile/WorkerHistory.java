package dev.herd.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What Herd remembers of one worker between passes, to see crash loops that a single
 * observation cannot show.
 *
 * @param lastPid      the last process id seen (0 before the first)
 * @param restarts     when a new process was seen replacing an earlier one, within the policy window
 * @param downSince    since when no process runs, if none does
 * @param backoffLevel how many crash-loop holds in a row (reset after a stable window)
 * @param heldUntil    while set and in the future, the worker is held stopped
 * @param totalRestarts every restart seen since Herd started watching this worker
 * @param firstSeen    when Herd first saw the worker
 * @param goneSince    since when Zinit has shown a process that does not exist, if it does
 * @param oomKills     the worker's count of kills for memory, as last seen
 * @param oomKilledAt  when Herd last saw that count grow: the kernel killed a process of the worker for memory
 */
public record WorkerHistory(int lastPid, List<Instant> restarts, Optional<Instant> downSince, int backoffLevel,
                            Optional<Instant> heldUntil, int totalRestarts, Instant firstSeen,
                            Optional<Instant> goneSince, long oomKills, Optional<Instant> oomKilledAt) {
    public WorkerHistory {
        restarts = List.copyOf(restarts);
    }

    static WorkerHistory fresh() {
        return new WorkerHistory(0, List.of(), Optional.empty(), 0, Optional.empty(), 0, Instant.EPOCH, Optional.empty(), 0, Optional.empty());
    }

    boolean heldAt(Instant now) {
        return heldUntil.isPresent() && now.isBefore(heldUntil.get());
    }
}
