package dev.herd.health;

import dev.herd.config.HerdConfig;
import dev.herd.reconcile.ReconcileLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the reconcile loop keeps finishing passes. A loop that has not finished one for longer
 * than a pass may take (plus a few intervals) is stuck, and a restart is the cure.
 */
@Liveness
@ApplicationScoped
public class ReconcileLoopLiveness implements HealthCheck {
    private final Instant started = Instant.now();

    @Inject
    ReconcileLoop loop;

    @Inject
    HerdConfig config;

    @Override
    public HealthCheckResponse call() {
        Duration allowed = config.reconcile().passTimeout().plus(config.reconcile().interval().multipliedBy(3));
        return HealthCheckResponse.named("reconcile-loop")
                .status(alive(loop.snapshot().lastPassEnded(), started, Instant.now(), allowed))
                .withData("lastPassEnded", loop.snapshot().lastPassEnded().map(Instant::toString).orElse("none yet"))
                .withData("lastPassMillis", loop.snapshot().lastPassDuration().toMillis())
                .withData("stuckAfterSeconds", allowed.toSeconds())
                .build();
    }

    /**
     * Whether the loop is alive at {@code now}: its last pass (or, before the first, Herd's start)
     * ended at most {@code allowed} ago. Pure.
     */
    static boolean alive(Optional<Instant> lastPassEnded, Instant started, Instant now, Duration allowed) {
        return Duration.between(lastPassEnded.orElse(started), now).compareTo(allowed) <= 0;
    }
}
