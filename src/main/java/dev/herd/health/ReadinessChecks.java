package dev.herd.health;

import dev.herd.config.HerdConfig;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.zinit.ZinitClient;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/** Readiness: each dependency a named check with details, all non-blocking with a timeout. */
@ApplicationScoped
public class ReadinessChecks {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    ReconcileLoop loop;

    @Inject
    ZinitClient zinit;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    HerdConfig config;

    @Readiness
    @ApplicationScoped
    AsyncHealthCheck desiredState() {
        return () -> Uni.createFrom().item(() -> HealthCheckResponse.named("desired-state")
                .status(loop.snapshot().desiredLoaded())
                .withData("dir", config.desiredState().dir().toString())
                .withData("pools", loop.snapshot().pools().size())
                .build());
    }

    @Readiness
    @ApplicationScoped
    AsyncHealthCheck zinitReachable() {
        return () -> zinit.ping()
                .map(version -> HealthCheckResponse.named("zinit").up()
                        .withData("socket", config.zinit().socket().toString())
                        .withData("dialect", zinit.dialect())
                        .withData("version", version).build())
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("zinit").down()
                        .withData("socket", config.zinit().socket().toString())
                        .withData("error", String.valueOf(e.getMessage())).build());
    }

    @Readiness
    @ApplicationScoped
    AsyncHealthCheck redisReachable() {
        return () -> redis.execute("PING")
                .map(reply -> HealthCheckResponse.named("redis").up().withData("reply", String.valueOf(reply)).build())
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("redis").down()
                        .withData("error", String.valueOf(e.getMessage())).build());
    }

    @Startup
    @ApplicationScoped
    AsyncHealthCheck firstPass() {
        return () -> Uni.createFrom().item(() -> HealthCheckResponse.named("first-reconcile-pass")
                .status(loop.snapshot().lastPassEnded().isPresent())
                .build());
    }
}
