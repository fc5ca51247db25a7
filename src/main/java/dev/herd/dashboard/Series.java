package dev.herd.dashboard;

import java.util.List;

/**
 * A pool's history in columns, oldest first (compact in JSON and what a chart draws from).
 *
 * @param pool           pool name
 * @param intervalMillis time between samples
 * @param time           epoch milliseconds of each sample
 * @param queued         jobs waiting
 * @param inFlight       jobs in workers' hands
 * @param desired        workers wanted
 * @param current        workers that exist
 * @param ready          workers running
 */
public record Series(String pool, long intervalMillis, List<Long> time, List<Long> queued, List<Long> inFlight,
                     List<Integer> desired, List<Integer> current, List<Integer> ready) {
    public Series {
        time = List.copyOf(time);
        queued = List.copyOf(queued);
        inFlight = List.copyOf(inFlight);
        desired = List.copyOf(desired);
        current = List.copyOf(current);
        ready = List.copyOf(ready);
    }

    public int size() {
        return time.size();
    }
}
