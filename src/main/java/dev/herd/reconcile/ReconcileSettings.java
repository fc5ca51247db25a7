package dev.herd.reconcile;

import dev.herd.config.HerdConfig;
import java.time.Duration;

/** The loop's settings as a plain value (from {@code herd.*}; tests build their own). */
public record ReconcileSettings(String controllerId, Duration interval, int parallelism, Duration passTimeout,
                                Duration backoffInitial, Duration backoffMax, boolean stopWorkersOnShutdown, boolean localPids,
                                CreationBudget creationBudget) {

    /** The defaults of {@code herd.reconcile.creation-burst} and {@code herd.workers.max-per-host}. */
    public static final CreationBudget DEFAULT_BUDGET = new CreationBudget(64, 1000);

    public static ReconcileSettings from(HerdConfig config) {
        HerdConfig.Reconcile r = config.reconcile();
        return new ReconcileSettings(config.controllerId(), r.interval(), r.parallelism(), r.passTimeout(),
                r.backoffInitial(), r.backoffMax(), r.stopWorkersOnShutdown(), config.zinit().localPids(),
                new CreationBudget(r.creationBurst(), config.workers().maxPerHost()));
    }
}
