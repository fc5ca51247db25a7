package dev.herd.desired;

import java.time.Duration;

/**
 * Every default of the WorkerPool format, in one place. The parser fills them in, so a file that
 * leaves a field out and one that spells the default out yield equal records (the reconciler hashes
 * the template, and an un-normalised default would make every pass look like a change).
 * The JSON Schema in {@code docs/desired-state.schema.json} repeats them; a test keeps the two equal.
 */
public final class Defaults {
    public static final String API_VERSION = "herd/v1";
    public static final String KIND = "WorkerPool";
    /** Longest pool name: worker names append "-ordinal" and must stay short Zinit service names. */
    public static final int MAX_NAME_LENGTH = 40;

    /** Fixed count when there is no autoscaling, as a Kubernetes Deployment. */
    public static final int REPLICAS = 1;

    /** Workers share one queue and compete for jobs, as KEDA-style queue workers do. */
    public static final QueueMode QUEUE = QueueMode.POOL;

    public static final String STOP_SIGNAL = "SIGTERM";
    /** Like Kubernetes' terminationGracePeriodSeconds: room for the job in hand to finish. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public static final IntOrPercent MAX_UNAVAILABLE = new IntOrPercent.Percent(25);
    public static final IntOrPercent MAX_SURGE = new IntOrPercent.Percent(25);

    public static final Duration PING_AFTER_IDLE = Duration.ofMinutes(10);
    public static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    public static final int FAILURE_THRESHOLD = 3;

    /** Never zero unless asked: scale to zero is opt-in with {@code minReplicas: 0}. */
    public static final int MIN_REPLICAS = 1;
    /** KEDA's Redis list scaler uses 5 as its default list length per replica. */
    public static final int TARGET_QUEUE_LENGTH_PER_REPLICA = 5;
    public static final int ACTIVATION_QUEUE_LENGTH = 0;
    public static final Duration COOLDOWN = Duration.ofSeconds(30);
    public static final Duration SCALE_UP_STABILIZATION = Duration.ZERO;
    public static final Duration SCALE_DOWN_STABILIZATION = Duration.ofSeconds(60);
    /** The HPA's tolerance: changes smaller than 10 % of the target are not made. */
    public static final int TOLERANCE_PERCENT = 10;
    public static final Duration STEP_PERIOD = Duration.ofSeconds(15);
    public static final int FALLBACK_AFTER_FAILURES = 3;

    private Defaults() {
    }
}
