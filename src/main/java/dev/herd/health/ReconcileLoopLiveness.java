package dev.herd.health;

import dev.herd.config.HerdConfig;
import dev.herd.reconcile.ReconcileLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
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
        Instant last = loop.snapshot().lastPassEnded().orElse(started);
        Duration since = Duration.between(last, Instant.now());
        return HealthCheckResponse.named("reconcile-loop")
                .status(since.compareTo(allowed) <= 0)
                .withData("lastPassEnded", loop.snapshot().lastPassEnded().map(Instant::toString).orElse("none yet"))
                .withData("lastPassMillis", loop.snapshot().lastPassDuration().toMillis())
                .withData("stuckAfterSeconds", allowed.toSeconds())
                .build();
    }
}
