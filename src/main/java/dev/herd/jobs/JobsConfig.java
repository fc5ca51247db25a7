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

    /**
     * How long a finished or failed job's record and reply stay in Redis (as Kubernetes'
     * ttlSecondsAfterFinished): the worker sets the expiry when it writes the result. A job may
     * ask for its own ({@code retention} in the submission).
     */
    @WithDefault("24h")
    Duration retention();

    /** What a healthy worker writes as the output of a ping job. */
    @WithDefault("pong")
    String pingReply();

    /** How often workers' last-job times are checked for the health monitor and job recovery. */
    @WithDefault("1s")
    Duration monitorInterval();

    /**
     * How long a job's heartbeat stays good. A worker beats while it runs a job (the reference worker
     * every 2 s); a job with a fresh heartbeat is never taken from its worker, even when Zinit says
     * the worker is gone (it may be finishing the job after a stop signal).
     */
    @WithDefault("6s")
    Duration heartbeatLease();

    /** How often processing lists are checked for jobs whose worker died (a few Redis reads per known worker). */
    @WithDefault("2s")
    Duration recoveryInterval();

    default KeyProfile keyProfile() {
        return KeyProfile.named(profile());
    }
}
