package dev.herd.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code herd.jobs.*}: the key profile and the ping protocol. */
@ConfigMapping(prefix = "herd.jobs")
public interface JobsConfig {

    /** Key profile: hero (the original design's keys), hero-actor or hero-q. */
    @WithDefault("hero")
    String profile();

    /** The script of a ping job; the reference worker answers it without running anything. */
    @WithDefault("ping")
    String pingScript();

    /** What a healthy worker writes as the output of a ping job. */
    @WithDefault("pong")
    String pingReply();

    /** How often workers' last-job times are checked for the health monitor and job recovery. */
    @WithDefault("1s")
    Duration monitorInterval();

    default KeyProfile keyProfile() {
        return KeyProfile.named(profile());
    }
}
