package dev.herd.health;

import java.time.Instant;
import java.util.Optional;

/**
 * One worker's ping health, as the API shows it.
 *
 * @param status           Healthy, Pinging, or Failing n/threshold
 * @param activity         what the worker's own hash says it does: idle, busy, stopped (empty if it wrote none)
 * @param failures         failed pings in a row
 * @param failureThreshold failures in a row that restart it
 * @param restarts         restarts Herd made for failed pings
 * @param lastActive       when it last took or finished a job, or started
 * @param lastPingOk       when it last answered a ping right
 */
public record WorkerHealth(String status, String activity, int failures, int failureThreshold, int restarts,
                           Optional<Instant> lastActive, Optional<Instant> lastPingOk) {
}
