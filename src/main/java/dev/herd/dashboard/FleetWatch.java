package dev.herd.dashboard;

import dev.herd.dashboard.FleetView.QueueDepth;
import dev.herd.desired.Autoscaling;
import dev.herd.desired.WatchedDesiredState;
import dev.herd.jobs.JobsConfig;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.Periodic;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.WorkerStatus;
import dev.herd.scaling.Autoscaler;
import dev.herd.scaling.PoolLoad;
import dev.herd.scaling.QueueReader;
import dev.herd.scaling.Reading;
import dev.herd.scaling.ScaleStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dashboard's shell. One thread ticks every {@code frame-interval}: every {@code sample-interval}
 * it adds a sample per pool to the pools' histories, and while someone watches it builds the fleet's
 * view and pushes it to every viewer when it changed (or a sample was taken). Queues of autoscaled
 * pools are the scaler's readings; the others are read here in one pipelined round trip, only when a
 * sample is due or someone watches. Viewers never wait for Herd: each keeps only the newest frame it
 * has not taken yet, and connecting costs no I/O.
 */
@ApplicationScoped
public class FleetWatch {
    /** How far back the samples in a pushed frame reach, so a viewer that skipped a frame fills its gap. */
    private static final Duration RECENT = Duration.ofMinutes(1);

    private final DashboardSettings settings;
    private final ReconcileLoop loop;
    private final Autoscaler scaler;
    private final WatchedDesiredState desired;
    private final QueueReader reader;
    private final Clock clock = Clock.systemUTC();
    private final int capacity;

    private final Map<String, PoolHistory> histories = new ConcurrentHashMap<>();
    private final Set<MultiEmitter<? super Frame>> viewers = new CopyOnWriteArraySet<>();
    private volatile FleetView latest = FleetView.EMPTY;
    // touched by the dashboard thread only
    private final Map<String, QueueDepth> readDepths = new HashMap<>();
    private FleetView lastPushed = FleetView.EMPTY;
    private Instant nextSample = Instant.MIN;
    private Periodic thread;

    @Inject
    public FleetWatch(DashboardSettings settings, ReconcileLoop loop, Autoscaler scaler, WatchedDesiredState desired,
                      ReactiveRedisDataSource redis, JobsConfig jobs) {
        this.settings = checked(settings);
        this.loop = loop;
        this.scaler = scaler;
        this.desired = desired;
        this.reader = new QueueReader(redis.getRedis(), jobs.keyProfile(), settings.readTimeout());
        this.capacity = (int) Math.max(1, ceilDiv(settings.history().toMillis(), settings.sampleInterval().toMillis()));
    }

    private static DashboardSettings checked(DashboardSettings s) {
        for (var d : Map.of("sample-interval", s.sampleInterval(), "frame-interval", s.frameInterval(),
                "history", s.history(), "read-timeout", s.readTimeout()).entrySet()) {
            if (d.getValue().isNegative() || d.getValue().isZero()) {
                throw new IllegalArgumentException("herd.dashboard." + d.getKey() + " must be above 0 (e.g. 5s), not " + d.getValue());
            }
        }
        if (s.events() < 0) {
            throw new IllegalArgumentException("herd.dashboard.events must be 0 or more, not " + s.events());
        }
        return s;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Periodic.start("herd-dashboard", settings.frameInterval(), this::tick);
        }
    }

    public synchronized void stop() {
        if (thread != null) {
            thread.close();
            viewers.forEach(MultiEmitter::complete);
            thread = null;
        }
    }

    /**
     * The live feed: a first frame with every pool's whole history at once, then a frame whenever
     * the fleet changes or a sample is taken. Never blocks: it is called on the event loop.
     */
    public Multi<Frame> watch() {
        return Multi.createFrom().emitter(viewer -> {
            synchronized (viewers) { // so no pushed frame falls between this first one and joining
                viewer.emit(new Frame(clock.instant(), latest, histories(Long.MIN_VALUE)));
                viewers.add(viewer);
            }
            viewer.onTermination(() -> viewers.remove(viewer));
        }, BackPressureStrategy.LATEST);
    }

    /** Whether another viewer would exceed {@code max-viewers}. */
    public boolean full() {
        return viewers.size() >= settings.maxViewers();
    }

    public int viewers() {
        return viewers.size();
    }

    /** One pool's whole history, if it has one. */
    public Optional<Series> history(String pool) {
        return Optional.ofNullable(histories.get(pool)).map(h -> h.series(pool));
    }

    private void tick() {
        Instant now = clock.instant();
        boolean sampleDue = !now.isBefore(nextSample);
        if (!sampleDue && viewers.isEmpty()) {
            return;
        }
        ReconcileLoop.Snapshot snapshot = loop.snapshot();
        Map<String, Autoscaling> specs = autoscaledSpecs();
        readUnscaledQueues(snapshot, specs);
        Map<String, ScaleStatus> scaling = scaler.statuses().stream()
                .collect(Collectors.toMap(ScaleStatus::pool, Function.identity(), (a, b) -> b));
        FleetView fleet = FleetViews.build(snapshot, scaling, specs, Map.copyOf(readDepths), recentEvents());
        latest = fleet;
        if (sampleDue) {
            record(FleetViews.samples(fleet, now));
            nextSample = now.plus(settings.sampleInterval());
        }
        if (sampleDue || !fleet.looksLike(lastPushed)) {
            List<Series> recent = sampleDue ? histories(now.minus(RECENT).toEpochMilli()) : List.of();
            Frame frame = new Frame(now, fleet, recent);
            synchronized (viewers) {
                viewers.forEach(v -> v.emit(frame));
            }
            lastPushed = fleet;
        }
    }

    private Map<String, Autoscaling> autoscaledSpecs() {
        Map<String, Autoscaling> out = new HashMap<>();
        desired.current().ifPresent(state -> state.activePools().forEach((name, pool) ->
                pool.spec().autoscaling().ifPresent(a -> out.put(name, a))));
        return out;
    }

    /** Reads the queues the scaler does not (pools with a fixed count); waits on this thread, never on the event loop. */
    private void readUnscaledQueues(ReconcileLoop.Snapshot snapshot, Map<String, Autoscaling> specs) {
        Map<String, List<String>> due = new LinkedHashMap<>();
        snapshot.pools().forEach((name, status) -> {
            if (!specs.containsKey(name)) {
                due.put(name, status.workers().stream().map(WorkerStatus::name).toList());
            }
        });
        readDepths.keySet().retainAll(due.keySet());
        if (due.isEmpty()) {
            return;
        }
        Map<String, PoolLoad> loads;
        try {
            loads = reader.read(due).await().atMost(settings.readTimeout().plusSeconds(1));
        } catch (RuntimeException e) { // the reader turns failures into readings; this is its own timeout
            loads = Map.of();
        }
        for (String name : due.keySet()) {
            PoolLoad load = loads.get(name);
            Reading reading = load == null ? new Reading.Failed("no answer from Redis") : load.reading();
            readDepths.put(name, FleetViews.after(Optional.ofNullable(readDepths.get(name)), reading));
        }
    }

    private List<Event> recentEvents() {
        List<Event> all = loop.events().recent();
        return all.subList(Math.max(0, all.size() - settings.events()), all.size());
    }

    private void record(Map<String, Sample> samples) {
        histories.keySet().retainAll(samples.keySet()); // a removed pool's history goes with it
        samples.forEach((pool, s) -> histories
                .computeIfAbsent(pool, p -> new PoolHistory(capacity, settings.sampleInterval().toMillis()))
                .add(s));
    }

    private List<Series> histories(long newerThanMillis) {
        return histories.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue().newerThan(e.getKey(), newerThanMillis))
                .toList();
    }
}
