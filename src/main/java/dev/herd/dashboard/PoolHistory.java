package dev.herd.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} samples of one pool, in a fixed-size ring of primitive columns:
 * 36 bytes a sample whatever the load, so an hour at one sample per 5 s is 26 KB a pool.
 * A sample older than the newest one kept is refused (the clock is the sampler's, not the caller's).
 * Thread-safe: one writer (the sampler), any number of readers.
 */
public final class PoolHistory {
    private final long intervalMillis;
    private final long[] time;
    private final long[] queued;
    private final long[] inFlight;
    private final int[] desired;
    private final int[] current;
    private final int[] ready;
    private int next;
    private int size;

    public PoolHistory(int capacity, long intervalMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a history holds at least one sample, not " + capacity);
        }
        this.intervalMillis = intervalMillis;
        time = new long[capacity];
        queued = new long[capacity];
        inFlight = new long[capacity];
        desired = new int[capacity];
        current = new int[capacity];
        ready = new int[capacity];
    }

    public int capacity() {
        return time.length;
    }

    /** Adds {@code s} as the newest sample, dropping the oldest when full; false when {@code s} is older than the newest. */
    public synchronized boolean add(Sample s) {
        if (size > 0 && s.epochMillis() < time[(next - 1 + time.length) % time.length]) {
            return false;
        }
        time[next] = s.epochMillis();
        queued[next] = s.queued();
        inFlight[next] = s.inFlight();
        desired[next] = s.desired();
        current[next] = s.current();
        ready[next] = s.ready();
        next = (next + 1) % time.length;
        size = Math.min(size + 1, time.length);
        return true;
    }

    /** Every sample kept, oldest first. */
    public Series series(String pool) {
        return newerThan(pool, Long.MIN_VALUE);
    }

    /** The samples taken after {@code epochMillis}, oldest first. */
    public synchronized Series newerThan(String pool, long epochMillis) {
        List<Long> t = new ArrayList<>();
        List<Long> q = new ArrayList<>();
        List<Long> f = new ArrayList<>();
        List<Integer> d = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        List<Integer> r = new ArrayList<>();
        int oldest = (next - size + time.length) % time.length;
        for (int k = 0; k < size; k++) {
            int i = (oldest + k) % time.length;
            if (time[i] > epochMillis) {
                t.add(time[i]);
                q.add(queued[i]);
                f.add(inFlight[i]);
                d.add(desired[i]);
                c.add(current[i]);
                r.add(ready[i]);
            }
        }
        return new Series(pool, intervalMillis, t, q, f, d, c, r);
    }
}
