package dev.herd.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delay of one pool after failed actions: doubling from {@code initial} to {@code max}, with
 * jitter so pools that failed together do not retry together.
 */
record PoolBackoff(int failures, Instant until) {
    static PoolBackoff after(PoolBackoff previous, Instant now, Duration initial, Duration max) {
        int failures = previous == null ? 1 : previous.failures + 1;
        long base = initial.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, max.toMillis());
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return new PoolBackoff(failures, now.plusMillis(jittered));
    }
}
