package dev.herd.dashboard;

/**
 * One pool at one moment, as its history keeps it.
 *
 * @param epochMillis when
 * @param queued      jobs waiting (pool queue and workers' own queues)
 * @param inFlight    jobs in workers' hands
 * @param desired     workers wanted
 * @param current     workers that exist
 * @param ready       workers running
 */
public record Sample(long epochMillis, long queued, long inFlight, int desired, int current, int ready) {
}
