package dev.herd.scaling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code herd.scaling.*}: how often queues are read and how long a read may take. */
@ConfigMapping(prefix = "herd.scaling")
public interface ScalingSettings {

    /** How often a pool with workers has its queue read (one pipelined round trip for all due pools). */
    @WithDefault("1s")
    Duration tick();

    /** How often a pool at zero has its queue read, so the first job wakes it quickly even without notifications. */
    @WithDefault("250ms")
    Duration idleTick();

    /** Upper bound of one round trip; a slower one counts as a failed reading (the count is held). */
    @WithDefault("2s")
    Duration readTimeout();

    /**
     * Whether Herd turns on Redis keyspace notifications for list events ({@code notify-keyspace-events}
     * gains {@code Kl}) and listens for pushes to the pool queues, so a job arriving at a pool at zero
     * wakes it at once instead of at the next idle tick. Off where CONFIG SET is not allowed.
     */
    @WithDefault("true")
    boolean keyspaceNotifications();

    /** Longest TTL a manual override may ask for. */
    @WithDefault("24h")
    Duration maxOverrideTtl();
}
