package dev.herd.reconcile;

import dev.herd.launch.LaunchRefusal;
import dev.herd.zinit.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One desired pool as the reconcile loop receives it from the desired state: what the planner
 * needs, how to render a worker's Zinit service, and what the desired state says about its spec.
 *
 * @param pool         the planner's view
 * @param render       the worker's service spec for an ordinal, with Herd's ownership labels
 * @param generation   increases with every accepted change of the pool's spec
 * @param configErrors errors in the pool's current file; non-empty means the last good spec is used
 * @param launchCheck  looks at the host (program file, accounts) and says why workers must not be
 *                     launched now, if so; run by the reconcile thread once per pass
 * @param limitsUnenforced which of the template's limits this host cannot enforce, and why (its workers run without them)
 */
public record PoolIntent(DesiredPool pool, IntFunction<ServiceSpec> render, long generation, List<String> configErrors,
                         Supplier<Optional<LaunchRefusal>> launchCheck, Optional<String> limitsUnenforced) {
    public PoolIntent(DesiredPool pool, IntFunction<ServiceSpec> render, long generation, List<String> configErrors) {
        this(pool, render, generation, configErrors, Optional::empty, Optional.empty());
    }

    public PoolIntent {
        configErrors = List.copyOf(configErrors);
        java.util.Objects.requireNonNull(launchCheck);
        java.util.Objects.requireNonNull(limitsUnenforced);
    }

    /** This intent with the launch check's current answer in its pool (for the pure planner). */
    public PoolIntent checked() {
        return new PoolIntent(pool.withLaunchRefused(launchCheck.get()), render, generation, configErrors, launchCheck, limitsUnenforced);
    }

    /** This intent with its pool's count resolved against what Zinit shows ({@link DesiredPool#resolved}). */
    public PoolIntent resolved(Observation observation, Terminations terminating) {
        DesiredPool r = pool.resolved(observation, terminating);
        return r == pool ? this : new PoolIntent(r, render, generation, configErrors, launchCheck, limitsUnenforced);
    }

    public String name() {
        return pool.name();
    }

    /** The signal that stops a worker of {@code intent}'s pool; Zinit's default for a pool no longer desired ({@code null}). */
    static String stopSignal(PoolIntent intent) {
        return intent == null ? "SIGTERM" : intent.render().apply(0).stopSignal();
    }

    /** How long a worker of {@code intent}'s pool may finish before SIGKILL; Zinit's default for a pool no longer desired ({@code null}). */
    static Duration shutdownTimeout(PoolIntent intent) {
        return intent == null ? Duration.ofSeconds(10) : intent.render().apply(0).shutdownTimeout();
    }
}
