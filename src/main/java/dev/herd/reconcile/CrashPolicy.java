package dev.herd.reconcile;

import java.time.Duration;

/**
 * When a worker counts as crash-looping and how Herd backs off.
 *
 * @param restarts       restarts within {@code window} that make a crash loop
 * @param window         the window restarts are counted in; running this long without one resets the backoff
 * @param initialBackoff first hold; doubles with every further loop
 * @param maxBackoff     cap of the hold
 * @param downGrace      how long a worker may be down before Herd starts it itself (Zinit usually restarts it sooner)
 */
public record CrashPolicy(int restarts, Duration window, Duration initialBackoff, Duration maxBackoff, Duration downGrace) {
    public static CrashPolicy defaults() {
        return new CrashPolicy(3, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(5));
    }

    Duration backoff(int level) {
        Duration d = initialBackoff;
        for (int i = 0; i < level && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
