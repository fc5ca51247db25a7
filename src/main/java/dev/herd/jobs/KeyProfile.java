package dev.herd.jobs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where each Redis key of the job protocol lives. Templates use {@code {id}} (job id),
 * {@code {queue}} (a pool name or worker id) and {@code {worker}} (a worker id). Herd passes the
 * same templates to every worker it starts (as HERD_KEY_* environment variables), so producer and
 * worker cannot disagree on a key: the field's "stuck in dispatched" bug.
 *
 * @param job        the job hash
 * @param work       a work queue (the pool's shared queue, or a worker's own)
 * @param reply      where the worker pushes a finished job's status
 * @param control    control messages for a queue's consumers
 * @param processing jobs a worker has taken and not finished (reliable-queue pattern)
 * @param worker     a worker's own status hash (state, current job, last job time)
 */
public record KeyProfile(String name, String job, String work, String reply, String control, String processing, String worker) {

    /** The original design's keys (August 2025). */
    public static final KeyProfile HERO = new KeyProfile("hero", "hero:job:{id}", "hero:work_queue:{queue}",
            "hero:reply:{id}", "hero:stop_queue:{queue}", "herd:processing:{worker}", "herd:worker:{worker}");
    /** The next Hero scheme: one queue per actor type. */
    public static final KeyProfile HERO_ACTOR = new KeyProfile("hero-actor", "hero:job:{id}", "hero:job:actor_queue:{queue}",
            "hero:reply:{id}", "hero:stop_queue:{queue}", "herd:processing:{worker}", "herd:worker:{worker}");
    /** The later Hero scheme under hero:q:. */
    public static final KeyProfile HERO_Q = new KeyProfile("hero-q", "hero:job:{id}", "hero:q:work:type:{queue}",
            "hero:q:reply:{id}", "hero:q:ctl:type:{queue}", "herd:processing:{worker}", "herd:worker:{worker}");

    public static KeyProfile named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "hero" -> HERO;
            case "hero-actor" -> HERO_ACTOR;
            case "hero-q" -> HERO_Q;
            default -> throw new IllegalArgumentException("herd.jobs.profile must be hero, hero-actor or hero-q, not '" + name + "'");
        };
    }

    public String jobKey(String id) {
        return job.replace("{id}", id);
    }

    public String workQueue(String queue) {
        return work.replace("{queue}", queue);
    }

    public String replyKey(String id) {
        return reply.replace("{id}", id);
    }

    public String processingKey(String worker) {
        return processing.replace("{worker}", worker);
    }

    public String workerKey(String worker) {
        return this.worker.replace("{worker}", worker);
    }

    /** The environment a worker gets so it uses exactly these keys. */
    public Map<String, String> workerEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HERD_KEY_JOB", job);
        env.put("HERD_KEY_WORK", work);
        env.put("HERD_KEY_REPLY", reply);
        env.put("HERD_KEY_PROCESSING", processing);
        env.put("HERD_KEY_WORKER", worker);
        return env;
    }
}
