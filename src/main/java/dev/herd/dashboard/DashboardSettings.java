package dev.herd.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code herd.dashboard.*}: how often the fleet is sampled and shown, and how much is kept. */
@ConfigMapping(prefix = "herd.dashboard")
public interface DashboardSettings {

    /** How often each pool's queue depth and replica counts are added to its history. */
    @WithDefault("5s")
    Duration sampleInterval();

    /** How far back each pool's history reaches (the ring holds {@code history / sample-interval} samples). */
    @WithDefault("1h")
    Duration history();

    /** How often, at most, a changed fleet is pushed to viewers (an unchanged one is pushed each sample). */
    @WithDefault("1s")
    Duration frameInterval();

    /** Recent events carried in each frame. */
    @WithDefault("50")
    int events();

    /** Viewers connected to the live stream at once; more are refused (503) rather than slowing Herd. */
    @WithDefault("32")
    int maxViewers();

    /** Upper bound of one read of the queues of pools that do not autoscale (those that do are read by the scaler). */
    @WithDefault("2s")
    Duration readTimeout();
}
