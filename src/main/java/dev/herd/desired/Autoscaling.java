package dev.herd.desired;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Scaling by queue depth: desired = ceil((queued + inFlight) / targetQueueLengthPerReplica), clamped
 * to [minReplicas, maxReplicas].
 *
 * @param minReplicas                 lowest count; 0 allows scale to zero
 * @param maxReplicas                 highest count
 * @param targetQueueLengthPerReplica jobs (queued plus in flight) one worker is meant to carry
 * @param activationQueueLength       jobs above which a pool at zero wakes up
 * @param cooldown                    how long the queue stays empty before scaling to zero
 * @param scaleUpStabilization        window over which the lowest recommendation wins when growing
 * @param scaleDownStabilization      window over which the highest recommendation wins when shrinking
 * @param tolerancePercent            changes within this share of the target are not made
 * @param maxScaleUpStep              most workers (or percent) added per {@code stepPeriod}; empty: no limit
 * @param maxScaleDownStep            most workers (or percent) removed per {@code stepPeriod}; empty: no limit
 * @param stepPeriod                  the period of both step limits
 * @param fallbackReplicas            count to go to when the queue cannot be read; empty: hold the count
 * @param fallbackAfterFailures       failed readings in a row before the fallback applies
 */
public record Autoscaling(
        int minReplicas,
        int maxReplicas,
        int targetQueueLengthPerReplica,
        int activationQueueLength,
        Duration cooldown,
        Duration scaleUpStabilization,
        Duration scaleDownStabilization,
        int tolerancePercent,
        Optional<IntOrPercent> maxScaleUpStep,
        Optional<IntOrPercent> maxScaleDownStep,
        Duration stepPeriod,
        Optional<Integer> fallbackReplicas,
        int fallbackAfterFailures) {

    public Autoscaling {
        Objects.requireNonNull(cooldown);
        Objects.requireNonNull(scaleUpStabilization);
        Objects.requireNonNull(scaleDownStabilization);
        Objects.requireNonNull(maxScaleUpStep);
        Objects.requireNonNull(maxScaleDownStep);
        Objects.requireNonNull(stepPeriod);
        Objects.requireNonNull(fallbackReplicas);
    }

    /** Every default but the bounds, for code and tests that build a spec by hand. */
    public static Autoscaling between(int minReplicas, int maxReplicas) {
        return new Autoscaling(minReplicas, maxReplicas, Defaults.TARGET_QUEUE_LENGTH_PER_REPLICA,
                Defaults.ACTIVATION_QUEUE_LENGTH, Defaults.COOLDOWN, Defaults.SCALE_UP_STABILIZATION,
                Defaults.SCALE_DOWN_STABILIZATION, Defaults.TOLERANCE_PERCENT, Optional.empty(), Optional.empty(),
                Defaults.STEP_PERIOD, Optional.empty(), Defaults.FALLBACK_AFTER_FAILURES);
    }
}
