package dev.herd.scaling;

import dev.herd.desired.Autoscaling;
import dev.herd.desired.WatchedDesiredState;
import dev.herd.jobs.JobsConfig;
import dev.herd.reconcile.Condition;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.WorkerStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The imperative shell around {@link ScalingDecider}. One thread ticks every {@code idleTick}; each
 * tick reads the pools that are due (at zero: every idle tick; otherwise every tick) in one
 * pipelined round trip, decides each, and publishes the counts the reconcile loop reads through
 * {@link #replicas}. A changed count asks for a reconcile pass at once and is an event and a metric.
 * Manual overrides are kept here too, so there is one place that says how many workers a pool wants.
 */
@ApplicationScoped
public class Autoscaler {
    private static final Logger LOG = Logger.getLogger(Autoscaler.class);

    private final ScalingSettings settings;
    private final QueueReader reader;
    private final Supplier<List<ScaledPool>> pools;
    private final Runnable trigger;
    private final Consumer<Event> events;
    private final ScalingMetrics metrics;
    private final Clock clock;
    private final Optional<KeyspaceWakeup> wakeup;

    /** Touched by the scaling thread only; read by any thread. */
    private final Map<String, PoolRuntime> states = new ConcurrentHashMap<>();
    private final Map<String, ScaleOverride> overrides = new ConcurrentHashMap<>();
    private final AtomicBoolean wakeWanted = new AtomicBoolean();
    /** Pools with a fixed count: when their queue is read next, for the figures (scaling thread only). */
    private final Map<String, Instant> fixedNextRead = new java.util.HashMap<>();
    private ScheduledExecutorService thread;

    /** One pool's scaling state between ticks. */
    record PoolRuntime(int inForce, ScalingMemory memory, Instant nextDue, Optional<Decision> last, Optional<String> heldReason,
                       Instant heldSince, long queued, long inFlight, List<String> removal) {
    }

    @Inject
    public Autoscaler(ScalingSettings settings, ReactiveRedisDataSource redis, JobsConfig jobs, WatchedDesiredState desired,
                      ReconcileLoop loop, MeterRegistry registry) {
        this(settings, new QueueReader(redis.getRedis(), jobs.keyProfile(), settings.readTimeout()),
                () -> ScaledPools.from(desired, loop.snapshot()), loop::trigger, e -> loop.events().record(e),
                registry, Clock.systemUTC(),
                settings.keyspaceNotifications() ? Optional.of(new KeyspaceWakeup(redis, jobs.keyProfile())) : Optional.empty());
    }

    public Autoscaler(ScalingSettings settings, QueueReader reader, Supplier<List<ScaledPool>> pools, Runnable trigger,
                      Consumer<Event> events, MeterRegistry registry, Clock clock, Optional<KeyspaceWakeup> wakeup) {
        this.settings = settings;
        this.reader = reader;
        this.pools = pools;
        this.trigger = trigger;
        this.events = events;
        this.metrics = new ScalingMetrics(registry);
        this.clock = clock;
        this.wakeup = wakeup;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herd-scaling");
            t.setDaemon(true);
            return t;
        });
        wakeup.ifPresent(w -> w.start(this::wake));
        thread.scheduleWithFixedDelay(this::tickSafely, 0, settings.idleTick().toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        wakeup.ifPresent(KeyspaceWakeup::stop);
        dev.herd.reconcile.Periodic.stopAndWait(thread);
        thread = null;
    }

    /**
     * How many workers {@code pool} wants now: a manual override in force, else the autoscaler's
     * count, else {@code otherwise} (the file's count, or the starting count before the first reading).
     */
    public int replicas(String pool, int otherwise) {
        ScaleOverride o = overrides.get(pool);
        if (o != null && o.activeAt(clock.instant())) {
            return o.replicas();
        }
        PoolRuntime s = states.get(pool);
        return s == null ? otherwise : s.inForce();
    }

    /** Whether {@link #replicas} has a count of its own for {@code pool} (a reading, or a manual override). */
    public boolean hasCount(String pool) {
        ScaleOverride o = overrides.get(pool);
        return states.containsKey(pool) || (o != null && o.activeAt(clock.instant()));
    }

    /** Workers of {@code pool} to remove first when it shrinks (idle longest first, busy last). */
    public List<String> removalPreference(String pool) {
        PoolRuntime s = states.get(pool);
        return s == null ? List.of() : s.removal();
    }

    /**
     * Why {@code replicas} cannot be {@code pool}'s manual count, if it cannot: an autoscaled pool's
     * override stays within its {@code minReplicas..maxReplicas}, as the autoscaler's own counts do.
     */
    public Optional<String> overrideRefusal(String pool, int replicas) {
        return pools.get().stream().filter(p -> p.name().equals(pool)).findFirst().flatMap(ScaledPool::autoscaling)
                .filter(a -> replicas < a.minReplicas() || replicas > a.maxReplicas())
                .map(a -> "pool " + pool + " scales between " + a.minReplicas() + " and " + a.maxReplicas()
                        + " workers (autoscaling.minReplicas and maxReplicas in its file); ask for a count in that range,"
                        + " or change the file");
    }

    /** Sets a manual count until {@code now + ttl}, and asks for a pass. */
    public ScaleOverride override(String pool, int replicas, Duration ttl) {
        ScaleOverride o = new ScaleOverride(replicas, clock.instant().plus(ttl));
        overrides.put(pool, o);
        events.accept(new Event(clock.instant(), "Normal", "ScaleOverride", pool, "",
                "manual count " + replicas + " until " + o.until()));
        trigger.run();
        return o;
    }

    /** Ends a manual count early; false when there was none. */
    public boolean cancelOverride(String pool) {
        ScaleOverride o = overrides.remove(pool);
        if (o != null) {
            events.accept(new Event(clock.instant(), "Normal", "ScaleOverrideEnded", pool, "", "manual count " + o.replicas() + " cancelled"));
            trigger.run();
        }
        return o != null;
    }

    /** Every desired pool's scaling, in one read of the desired pools. */
    public List<ScaleStatus> statuses() {
        return pools.get().stream().map(this::status).toList();
    }

    public Optional<ScaleStatus> status(String pool) {
        return pools.get().stream().filter(p -> p.name().equals(pool)).findFirst().map(this::status);
    }

    private ScaleStatus status(ScaledPool p) {
        Instant now = clock.instant();
        PoolRuntime s = states.get(p.name());
        Optional<ScaleOverride> o = Optional.ofNullable(overrides.get(p.name())).filter(x -> x.activeAt(now));
        List<Condition> conditions = new ArrayList<>();
        if (p.autoscaling().isPresent() && s != null) {
            conditions.add(s.heldReason()
                    .map(why -> new Condition("ScalingActive", false, "ScalingHeld", why + "; holding " + s.inForce(), s.heldSince()))
                    .orElse(new Condition("ScalingActive", true, "ReadingQueue", "the queue is read every tick", s.heldSince())));
        }
        return new ScaleStatus(p.name(), replicas(p.name(), p.start()), p.autoscaling().isPresent(),
                s == null ? 0 : s.queued(), s == null ? 0 : s.inFlight(), o,
                s == null ? "" : s.last().map(Decision::explanation).orElse(""), conditions,
                s == null ? List.of() : s.removal());
    }

    /** A push to a pool's queue was seen: read pools at zero now rather than at the next idle tick. */
    void wake(String pool) {
        PoolRuntime s = states.get(pool);
        ScheduledExecutorService t = thread;
        if (s != null && s.inForce() == 0 && t != null && wakeWanted.compareAndSet(false, true)) {
            states.put(pool, new PoolRuntime(s.inForce(), s.memory(), Instant.MIN, s.last(), s.heldReason(), s.heldSince(),
                    s.queued(), s.inFlight(), s.removal()));
            t.execute(this::tickSafely);
        }
    }

    private void tickSafely() {
        wakeWanted.set(false);
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warnf(e, "scaling tick failed");
        }
    }

    /** One tick: expire overrides, read the due pools in one round trip, decide, publish. Visible for tests. */
    void tick() {
        Instant now = clock.instant();
        boolean changed = expireOverrides(now);
        Map<String, ScaledPool> scaled = new LinkedHashMap<>();
        Map<String, List<String>> due = new LinkedHashMap<>();
        for (ScaledPool p : pools.get()) {
            if (p.autoscaling().isPresent()) {
                scaled.put(p.name(), p);
            } else if (!now.isBefore(fixedNextRead.getOrDefault(p.name(), Instant.MIN))) {
                due.put(p.name(), p.workers()); // read for its queued/in-flight figures only
                fixedNextRead.put(p.name(), now.plus(settings.idleTick()));
            }
        }
        states.keySet().removeIf(name -> !scaled.containsKey(name));
        fixedNextRead.keySet().removeIf(name -> scaled.containsKey(name) || pools.get().stream().noneMatch(p -> p.name().equals(name)));
        scaled.values().forEach(p -> {
            PoolRuntime s = states.get(p.name());
            if (s == null || !now.isBefore(s.nextDue())) {
                due.put(p.name(), p.workers());
            }
        });
        if (!due.isEmpty()) {
            long started = System.nanoTime();
            Map<String, PoolLoad> loads = reader.read(due).await().atMost(settings.readTimeout().plusSeconds(1));
            metrics.read(Duration.ofNanos(System.nanoTime() - started), due.size());
            Instant decidedAt = clock.instant();
            for (String name : due.keySet()) {
                PoolLoad load = loads.getOrDefault(name, PoolLoad.failed("no answer for the pool"));
                if (scaled.containsKey(name)) {
                    changed |= decide(scaled.get(name), load, decidedAt);
                } else if (load.reading() instanceof Reading.Measured m) {
                    metrics.measured(name, m.queued(), m.inFlight());
                }
            }
        }
        if (changed) {
            trigger.run();
        }
    }

    private boolean decide(ScaledPool p, PoolLoad load, Instant now) {
        Autoscaling spec = p.autoscaling().orElseThrow();
        PoolRuntime before = states.getOrDefault(p.name(), new PoolRuntime(
                Math.max(spec.minReplicas(), Math.min(spec.maxReplicas(), p.start())), ScalingMemory.empty(), now,
                Optional.empty(), Optional.empty(), now, 0, 0, List.of()));
        ScaleOverride o = overrides.get(p.name());
        // under an override the windows and steps start from the manual count, so its end is smooth
        int inForce = o != null && o.activeAt(now) ? o.replicas() : before.inForce();
        Decision d = ScalingDecider.decide(spec, new Inputs(load.reading(), inForce, p.ready(), p.starting()), before.memory(), now);
        Duration every = d.desired() == 0 ? settings.idleTick() : settings.tick();
        Optional<String> held = load.reading() instanceof Reading.Failed f ? Optional.of(f.reason()) : Optional.empty();
        Instant heldSince = held.isPresent() == before.heldReason().isPresent() ? before.heldSince() : now;
        long queued = load.reading() instanceof Reading.Measured m ? m.queued() : before.queued();
        long inFlight = load.reading() instanceof Reading.Measured m ? m.inFlight() : before.inFlight();
        List<String> removal = held.isPresent() ? before.removal() : RemovalPreference.order(load.workers());
        states.put(p.name(), new PoolRuntime(d.desired(), d.memory(), now.plus(every), Optional.of(d), held, heldSince,
                queued, inFlight, removal));
        metrics.decided(p.name(), d, queued, inFlight, this);
        heldTransition(p.name(), before, held, d, now);
        boolean overridden = o != null && o.activeAt(now);
        if (!d.changed() || overridden) {
            return false; // under an override the decision is only remembered, not applied
        }
        String message = d.from() + " -> " + d.desired() + ": " + d.explanation();
        events.accept(new Event(now, "Normal", "Scaled", p.name(), "", message));
        return true;
    }

    private void heldTransition(String pool, PoolRuntime before, Optional<String> held, Decision d, Instant now) {
        if (held.isPresent() && before.heldReason().isEmpty()) {
            String message = held.get() + "; holding " + d.desired() + (d.rule() == Rule.FALLBACK ? " (fallback)" : "");
            events.accept(new Event(now, "Warning", "ScalingHeld", pool, "", message));
        } else if (held.isEmpty() && before.heldReason().isPresent()) {
            events.accept(new Event(now, "Normal", "ScalingResumed", pool, "", "the queue can be read again: " + d.explanation()));
            wakeup.ifPresent(KeyspaceWakeup::renew); // a restarted Redis forgot the notification setting
        }
    }

    private boolean expireOverrides(Instant now) {
        boolean any = false;
        for (Map.Entry<String, ScaleOverride> e : new HashMap<>(overrides).entrySet()) {
            if (!e.getValue().activeAt(now) && overrides.remove(e.getKey(), e.getValue())) {
                events.accept(new Event(now, "Normal", "ScaleOverrideEnded", e.getKey(), "",
                        "manual count " + e.getValue().replicas() + " expired"));
                any = true;
            }
        }
        return any;
    }

    /** Pools' in-force counts for gauges. */
    double inForce(String pool) {
        PoolRuntime s = states.get(pool);
        return s == null ? Double.NaN : s.inForce();
    }

    /** The desired pools with their workers as the reconcile loop last saw them. */
    static final class ScaledPools {
        private ScaledPools() {
        }

        static List<ScaledPool> from(WatchedDesiredState desired, ReconcileLoop.Snapshot snapshot) {
            List<ScaledPool> out = new ArrayList<>();
            desired.current().ifPresent(state -> state.activePools().forEach((name, pool) -> {
                PoolStatus status = snapshot.pools().get(name);
                if (status == null && pool.spec().autoscaling().isPresent()) {
                    return; // no pass has seen it yet: its first count must start from the workers it has, not guessed
                }
                // a worker being removed is neither capacity nor load: its job in hand is its own to finish
                List<String> workers = status == null ? List.of() : status.workers().stream()
                        .filter(w -> !w.phase().leaving()).map(WorkerStatus::name).toList();
                int ready = status == null ? 0 : status.readyReplicas();
                int current = status == null ? 0 : status.currentReplicas();
                // where the scaler starts: the count the loop holds (the workers the pool has, after a restart of Herd)
                int start = status == null || pool.spec().autoscaling().isEmpty() ? pool.spec().replicas() : status.desiredReplicas();
                out.add(new ScaledPool(name, pool.spec().autoscaling(), start, workers, ready, Math.max(0, current - ready)));
            }));
            return out;
        }
    }
}
