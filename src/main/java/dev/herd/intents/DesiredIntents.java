package dev.herd.intents;

import dev.herd.desired.Autoscaling;
import dev.herd.config.HerdConfig;
import dev.herd.reconcile.DesiredPool;
import dev.herd.reconcile.DesiredSource;
import dev.herd.reconcile.Ownership;
import dev.herd.reconcile.PoolIntent;
import dev.herd.desired.DesiredState;
import dev.herd.desired.Exec;
import dev.herd.desired.Placeholders;
import dev.herd.desired.PoolState;
import dev.herd.desired.Strategy;
import dev.herd.desired.WatchedDesiredState;
import dev.herd.desired.WorkerPool;
import dev.herd.desired.WorkerTemplate;
import dev.herd.jobs.JobsConfig;
import dev.herd.launch.WorkerLaunch;
import dev.herd.scaling.Autoscaler;
import dev.herd.zinit.Command;
import dev.herd.zinit.RestartPolicy;
import dev.herd.zinit.ServiceSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns the desired state into what the reconcile loop acts on: each pool's count, template hash
 * and rollout bounds, and how to render a worker's Zinit service (placeholders filled, Herd's
 * ownership labels and the job key profile added to its environment).
 */
@ApplicationScoped
public class DesiredIntents implements DesiredSource {
    /** The environment variable that tells every worker where Redis is (the Hero worker reads it). */
    public static final String REDIS_URL_ENV = "HERD_REDIS_URL";
    private final WatchedDesiredState desired;
    private final HerdConfig config;
    private final JobsConfig jobs;
    private final String redisUrl;
    private final List<String> redisSecrets;
    private final Autoscaler scaler;
    private final WorkerLaunch launch;

    @Inject
    public DesiredIntents(WatchedDesiredState desired, HerdConfig config, JobsConfig jobs,
                          @ConfigProperty(name = "quarkus.redis.hosts") String redisHosts, Autoscaler scaler, WorkerLaunch launch) {
        this.desired = desired;
        this.launch = launch;
        this.scaler = scaler;
        this.config = config;
        this.jobs = jobs;
        this.redisUrl = redisHosts.split(",")[0].strip();
        this.redisSecrets = secretsOf(redisUrl);
    }

    @Override
    public Optional<List<PoolIntent>> current() {
        return desired.current().map(this::intents);
    }

    @Override
    public void onChange(Runnable listener) {
        desired.onChange(state -> listener.run());
    }

    private List<PoolIntent> intents(DesiredState state) {
        List<PoolIntent> out = new ArrayList<>();
        state.activePools().forEach((name, pool) -> {
            PoolState ps = state.pools().get(name);
            List<String> errors = ps == null ? List.of() : ps.errors().stream().map(Object::toString).toList();
            out.add(intent(pool, ps == null ? 0 : ps.generation(), errors, ps == null ? java.nio.file.Path.of(name) : ps.file()));
        });
        return out;
    }

    PoolIntent intent(WorkerPool pool, long generation, List<String> errors, java.nio.file.Path file) {
        WorkerTemplate template = pool.spec().template();
        // the scaler's count (or a manual override); until its first reading, the workers the pool has
        // (the file's count when it has none): a Herd that restarts must not shrink a scaled pool to the file's count
        int replicas = scaler.replicas(pool.name(), pool.spec().replicas());
        Strategy.Bounds bounds = pool.spec().strategy().resolve(replicas);
        Optional<String> unenforced = launch.unenforcedLimits(file, template);
        String hash = templateHash(template, unenforced.isPresent());
        DesiredPool planned = new DesiredPool(pool.name(), replicas, hash, bounds.maxSurge(), bounds.maxUnavailable(), template.after(),
                scaler.removalPreference(pool.name()));
        Optional<Autoscaling> scaled = pool.spec().autoscaling();
        if (scaled.isPresent() && !scaler.hasCount(pool.name())) {
            planned = planned.keepingCount(new DesiredPool.KeepCount(scaled.get().minReplicas(), scaled.get().maxReplicas()));
        }
        return new PoolIntent(planned, ordinal -> render(pool.name(), ordinal, template, hash), generation, errors, () -> {
            // the program of the first worker stands for all: a program path that differs per worker is not checked
            Map<String, String> vars = vars(pool.name(), 0);
            return launch.check(file, template, template.render(vars), template.renderEnv(vars), template.renderDir(vars))
                    .or(() -> WorkerLaunch.secretOnCommandLine(file, template.render(vars), template.renderTest(vars), redisSecrets));
        }, unenforced);
    }

    private Map<String, String> vars(String pool, int ordinal) {
        return Placeholders.forWorker(pool, ordinal, redisUrl, config.home().toString());
    }

    private ServiceSpec render(String pool, int ordinal, WorkerTemplate template, String hash) {
        Map<String, String> vars = vars(pool, ordinal);
        Exec exec = template.render(vars);
        Command command = launch.command(exec instanceof Exec.Argv argv ? new Command.Argv(argv.args())
                : new Command.Shell(((Exec.Line) exec).line()), template, Placeholders.workerId(pool, ordinal));
        Map<String, String> env = new HashMap<>(jobs.keyProfile().workerEnv());
        // where Redis is, credentials included, in the environment (readable by the worker's user
        // only), so that no template needs {{redisUrl}} on a command line every local user can read
        env.put(REDIS_URL_ENV, redisUrl);
        env.putAll(template.renderEnv(vars));
        env.putAll(Ownership.labels(config.controllerId(), pool, ordinal, hash, template.after()));
        env.put(Ownership.ZINIT, Ownership.zinitLabel(config.zinit().socket()));
        return new ServiceSpec(Placeholders.workerId(pool, ordinal), command, env, template.renderDir(vars), template.after(),
                template.renderTest(vars), RestartPolicy.ALWAYS, template.stopSignal(), template.shutdownTimeout(),
                ServiceSpec.LogMode.RING);
    }

    /** The password in a Redis URL ({@code redis://user:pass@host} or {@code redis://:pass@host}), if it has one. */
    static List<String> secretsOf(String url) {
        try {
            String userInfo = java.net.URI.create(url).getRawUserInfo();
            if (userInfo == null || userInfo.isEmpty()) {
                return List.of();
            }
            int colon = userInfo.indexOf(':');
            String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
            String decoded = java.net.URLDecoder.decode(password, StandardCharsets.UTF_8);
            return password.isEmpty() ? List.of() : List.of(password, decoded).stream().distinct().toList();
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Everything that shapes a worker's service, hashed: a change means a rollout. */
    private String templateHash(WorkerTemplate template, boolean limitsUnenforced) {
        // workers started without their cgroup limits are replaced once a Herd can enforce them
        return TemplateHash.of(template, jobs.keyProfile(), redisUrl, config.home().toString(), launch.defaultUserFor(template),
                limitsUnenforced);
    }
}
