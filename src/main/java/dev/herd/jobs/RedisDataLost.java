package dev.herd.jobs;

import java.time.Instant;

/**
 * Redis lost data Herd relies on: its marker key is gone (Redis restarted without persistence, or
 * was flushed), or jobs Herd dispatched vanished before they ended. Fired as a CDI event.
 *
 * @param at         when Herd noticed
 * @param jobsLost   dispatched jobs whose records vanished, noticed at {@code at}
 * @param markerGone whether Herd's marker key was gone too (the whole key space, not single records)
 */
public record RedisDataLost(Instant at, int jobsLost, boolean markerGone) {

    /** In words, with the fix. */
    public String message() {
        return (markerGone ? "Redis lost its data (restarted without persistence, or flushed)"
                : "job records Herd dispatched were deleted from Redis")
                + "; " + jobsLost + " dispatched job(s) vanished before they ended and will not run or report."
                + " Run Redis with appendonly yes (bin/up's Redis has it) so a restart keeps its data";
    }
}
