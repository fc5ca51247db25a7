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
import org.eclipse.microprofile.config.inject.ConfigProperty;
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

    @Inject
    dev.herd.jobs.JobOutcomes outcomes;

    /** Redis's data loss, told as a Warning event as Herd notices it (the readiness check shows the last one). */
    void onDataLoss(@jakarta.enterprise.event.Observes dev.herd.jobs.RedisDataLost loss) {
        loop.events().record(new dev.herd.reconcile.Event(loss.at(), "Warning", "RedisDataLost", "", "", loss.message()));
    }

    @ConfigProperty(name = "quarkus.redis.hosts", defaultValue = "redis://localhost:6379")
    String redisUrls;

    private String redisHosts;

    @jakarta.annotation.PostConstruct
    void init() {
        redisHosts = redisUrls.replaceAll("//[^/@]*@", "//"); // never show a password in a probe
    }

    @Readiness
    @ApplicationScoped
    AsyncHealthCheck desiredState() {
        return () -> Uni.createFrom().item(() -> {
            boolean loaded = loop.snapshot().desiredLoaded();
            var response = HealthCheckResponse.named("desired-state").status(loaded)
                    .withData("dir", config.desiredState().dir().toString())
                    .withData("pools", loop.snapshot().pools().size());
            if (!loaded) {
                response.withData("error", "the desired state has not been read yet")
                        .withData("fix", "check that herd.desired-state.dir (HERD_DESIRED_STATE_DIR) exists and is readable;"
                                + " 'java -jar quarkus-run.jar validate <dir>' shows what is wrong in its files");
            }
            return response.build();
        });
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
                        .withData("error", why(e))
                        .withData("fix", "start zinit-server on " + config.zinit().socket()
                                + ", or point herd.zinit.socket (HERD_ZINIT_SOCKET) at the socket it listens on").build());
    }

    @Readiness
    @ApplicationScoped
    AsyncHealthCheck redisReachable() {
        return () -> redis.execute("PING")
                .map(reply -> {
                    var up = HealthCheckResponse.named("redis").up().withData("hosts", redisHosts).withData("reply", String.valueOf(reply));
                    // Redis answers, but it lost what Herd had put there: say so, with the count and the fix
                    outcomes.lastLoss().ifPresent(loss -> up.withData("dataLostAt", loss.at().toString())
                            .withData("jobsLost", loss.jobsLost()).withData("dataLost", loss.message()));
                    return up.build();
                })
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("redis").down()
                        .withData("hosts", redisHosts)
                        .withData("error", why(e))
                        .withData("fix", "start redis-server at " + redisHosts
                                + ", or point quarkus.redis.hosts (QUARKUS_REDIS_HOSTS) at a running one").build());
    }

    /** A failure in words: a timeout says which limit passed, other errors their message. */
    private static String why(Throwable e) {
        if (e instanceof io.smallrye.mutiny.TimeoutException) {
            return "no answer within " + PROBE_TIMEOUT.toSeconds() + "s";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Startup
    @ApplicationScoped
    AsyncHealthCheck firstPass() {
        return () -> Uni.createFrom().item(() -> HealthCheckResponse.named("first-reconcile-pass")
                .status(loop.snapshot().lastPassEnded().isPresent())
                .build());
    }
}
