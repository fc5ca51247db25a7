package dev.herd.desired;

import java.time.Duration;
import java.util.Objects;

/**
 * Ping-based health of a pool's workers: a worker idle for {@code pingAfterIdle} gets a ping job; no
 * answer within {@code pingTimeout} is one failure; {@code failureThreshold} failures in a row restart it.
 */
public record HealthSpec(Duration pingAfterIdle, Duration pingTimeout, int failureThreshold) {
    public static final HealthSpec DEFAULT =
            new HealthSpec(Defaults.PING_AFTER_IDLE, Defaults.PING_TIMEOUT, Defaults.FAILURE_THRESHOLD);

    public HealthSpec {
        Objects.requireNonNull(pingAfterIdle);
        Objects.requireNonNull(pingTimeout);
    }
}
