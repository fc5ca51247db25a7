package dev.herd.introspect;

import dev.herd.config.HerdConfig;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.ResourceUsage;
import dev.herd.reconcile.WorkerStatus;
import dev.herd.zinit.ZinitClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Samples every worker's CPU and memory at {@code herd.stats.interval} on a thread of its own, so
 * sampling never delays a reconcile pass. The workers are the last pass's (its snapshot). Where
 * Zinit's pids are this host's ({@code herd.zinit.local-pids}), one read of /proc per sample sums
 * each worker's process group (the worker and every child, which Zinit 0.3.9 puts in a group led by
 * the pid it tracks); otherwise Zinit's own {@code stats} is asked per worker (main process only;
 * Zinit 0.3.9 reports its CPU as 0).
 */
@ApplicationScoped
public class WorkerUsageSampler {
    private static final Logger LOG = Logger.getLogger(WorkerUsageSampler.class);

    private final ReconcileLoop loop;
    private final ZinitClient zinit;
    private final Settings settings;
    private final Clock clock = Clock.systemUTC();
    private final long ticksPerSecond = getconf("CLK_TCK", 100);
    private final long pageSize = getconf("PAGESIZE", 4096);
    private final List<Consumer<Map<String, PoolUsage>>> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, Sample> latest = Map.of();
    private volatile Map<String, PoolUsage> pools = Map.of();
    private volatile Duration lastCost = Duration.ZERO;
    private ScheduledExecutorService thread;

    /** One worker's reading; {@code ticks} and {@code nanos} give the next reading its CPU share. */
    private record Sample(int pid, long ticks, long nanos, ResourceUsage usage) {
    }

    private record Target(String name, String pool, int pid) {
    }

    /**
     * @param interval     how often to sample ({@code herd.stats.interval})
     * @param localPids    read /proc (true) or ask Zinit ({@code herd.zinit.local-pids})
     * @param callTimeout  bound of one Zinit call ({@code herd.zinit.call-timeout})
     */
    public record Settings(Duration interval, boolean localPids, Duration callTimeout) {
    }

    @jakarta.inject.Inject
    public WorkerUsageSampler(ReconcileLoop loop, ZinitClient zinit, HerdConfig config) {
        this(loop, zinit, new Settings(config.stats().interval(), config.zinit().localPids(), config.zinit().callTimeout()));
    }

    public WorkerUsageSampler(ReconcileLoop loop, ZinitClient zinit, Settings settings) {
        this.loop = loop;
        this.zinit = zinit;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herd-stats");
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toMillis();
        thread.scheduleWithFixedDelay(this::sampleSafely, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** Calls {@code listener} on the sampling thread with each pool's totals after every sample. */
    public void onSample(Consumer<Map<String, PoolUsage>> listener) {
        listeners.add(listener);
    }

    /** The worker's last reading, if it was taken of the process the worker has now. */
    public Optional<ResourceUsage> usage(WorkerStatus worker) {
        Sample s = latest.get(worker.name());
        return s != null && s.pid() == worker.pid() && worker.pid() != 0 ? Optional.of(s.usage()) : Optional.empty();
    }

    /** {@code status} with its workers' readings. */
    public PoolStatus annotate(PoolStatus status) {
        return status.withUsage(this::usage);
    }

    public Map<String, PoolUsage> pools() {
        return pools;
    }

    /** How long the last sample took (its cost, for the docs and the curious). */
    public Duration lastCost() {
        return lastCost;
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warnf("sampling workers' CPU and memory failed: %s", e.getMessage());
        }
    }

    /** Takes one sample now (the sampling thread calls it; tests may too). */
    public void sample() {
        long started = System.nanoTime();
        List<Target> targets = loop.snapshot().pools().values().stream()
                .flatMap(p -> p.workers().stream().filter(w -> w.pid() > 0).map(w -> new Target(w.name(), p.name(), w.pid())))
                .toList();
        Map<String, Sample> next = settings.localPids() ? fromProc(targets) : fromZinit(targets);
        Map<String, PoolUsage> byPool = new HashMap<>();
        loop.snapshot().pools().keySet().forEach(p -> byPool.put(p, PoolUsage.NONE));
        for (Target t : targets) {
            Sample s = next.get(t.name());
            if (s != null) {
                byPool.merge(t.pool(), PoolUsage.NONE.plus(s.usage().cpuPercent(), s.usage().memoryBytes()),
                        (a, b) -> a.plus(b.cpuPercent(), b.memoryBytes()));
            }
        }
        latest = Map.copyOf(next);
        pools = Map.copyOf(byPool);
        lastCost = Duration.ofNanos(System.nanoTime() - started);
        listeners.forEach(l -> l.accept(pools));
    }

    private Map<String, Sample> fromProc(List<Target> targets) {
        Set<Integer> leaders = targets.stream().map(Target::pid).collect(Collectors.toSet());
        long nanos = System.nanoTime();
        Map<Integer, GroupUsage> groups = GroupUsage.of(ProcessTable.read(Path.of("/proc")), leaders, pageSize);
        Instant now = clock.instant();
        Map<String, Sample> out = new HashMap<>();
        Map<String, Sample> before = latest;
        for (Target t : targets) {
            GroupUsage g = groups.get(t.pid());
            if (g == null) {
                continue; // the process ended since the pass saw it
            }
            Sample prev = before.get(t.name());
            double cpu = prev != null && prev.pid() == t.pid()
                    ? GroupUsage.cpuPercent(prev.ticks(), g.ticks(), nanos - prev.nanos(), ticksPerSecond) : 0;
            out.put(t.name(), new Sample(t.pid(), g.ticks(), nanos, new ResourceUsage(cpu, g.rssBytes(), g.processes(), "proc", now)));
        }
        return out;
    }

    private Map<String, Sample> fromZinit(List<Target> targets) {
        Instant now = clock.instant();
        Map<String, Sample> out = new java.util.concurrent.ConcurrentHashMap<>();
        Multi.createFrom().iterable(targets)
                .onItem().transformToUni(t -> zinit.stats(t.name())
                        .invoke(s -> out.put(t.name(), new Sample(s.pid(), 0, 0,
                                new ResourceUsage(s.cpuPercent(), s.memoryBytes(), 1, "zinit", now))))
                        .onFailure().recoverWithNull())
                .merge(8).collect().last()
                .await().atMost(settings.callTimeout().multipliedBy(Math.max(1, targets.size() / 8 + 1)));
        return out;
    }

    private static long getconf(String name, long fallback) {
        try {
            Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
            if (p.waitFor(2, TimeUnit.SECONDS)) {
                return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
            }
            p.destroyForcibly();
        } catch (IOException | NumberFormatException e) {
            // fall back to the usual Linux values
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fallback;
    }
}
