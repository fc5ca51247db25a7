package dev.herd.desired;

import java.util.Objects;

/**
 * How a template change is rolled out, as a Deployment's RollingUpdate: at most {@code maxUnavailable}
 * workers below the desired count and at most {@code maxSurge} above it at any time.
 */
public record Strategy(IntOrPercent maxUnavailable, IntOrPercent maxSurge) {
    public static final Strategy DEFAULT = new Strategy(Defaults.MAX_UNAVAILABLE, Defaults.MAX_SURGE);

    public Strategy {
        Objects.requireNonNull(maxUnavailable);
        Objects.requireNonNull(maxSurge);
    }

    /** Both bounds for a pool of {@code replicas} workers, in whole workers. */
    public record Bounds(int maxUnavailable, int maxSurge) {
    }

    /**
     * Surge rounds up and unavailable rounds down, as Kubernetes does; when both come to zero a
     * rollout could never move, so one worker may be unavailable.
     */
    public Bounds resolve(int replicas) {
        int surge = maxSurge.resolve(replicas, true);
        int unavailable = maxUnavailable.resolve(replicas, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new Bounds(unavailable, surge);
    }
}
