package dev.herd.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Prometheus figures of the reconcile loop: passes (count, duration histogram), passes with errors
 * by cause, actions by kind and outcome, restarts of workers seen, and per pool
 * desired/current/ready/updated replicas. Tags are pool, action, outcome and cause: never a worker.
 */
@ApplicationScoped
public class ReconcileMetrics {
    private final MeterRegistry registry;
    private final ReconcileLoop loop;
    private final Set<String> poolsWithGauges = new HashSet<>();
    /** Restarts each worker had at the last pass, so the counter grows by what is new (only the pass thread touches it). */
    private final Map<String, Integer> restartsSeen = new HashMap<>();
    private Timer passes;
    private Counter unreachable;

    public ReconcileMetrics(MeterRegistry registry, ReconcileLoop loop) {
        this.registry = registry;
        this.loop = loop;
    }

    void onStart(@Observes StartupEvent event) {
        passes = Timer.builder("herd.reconcile.pass").description("reconcile passes and their duration")
                .publishPercentileHistogram().register(registry);
        unreachable = Counter.builder("herd.reconcile.zinit.unreachable").description("passes that could not observe Zinit")
                .register(registry);
        loop.onPass(this::record);
        loop.events().subscribe(e -> registry.counter("herd.events", "type", e.type(), "reason", e.reason(), "pool", e.pool()).increment());
    }

    private void record(ReconcileLoop.PassReport report) {
        passes.record(report.duration());
        if (!report.zinitReachable()) {
            unreachable.increment();
            errors("zinit-unreachable").increment();
        }
        if (report.outcomes().stream().anyMatch(o -> !o.succeeded())) {
            errors("action-failed").increment();
        }
        for (ActionOutcome o : report.outcomes()) {
            registry.counter("herd.reconcile.actions", "pool", o.action().pool(),
                    "action", o.action().kind().text(), "outcome", o.succeeded() ? "ok" : "failed").increment();
        }
        if (report.zinitReachable()) {
            countRestarts(loop.snapshot().pools().values());
        }
        for (String pool : loop.snapshot().pools().keySet()) {
            if (poolsWithGauges.add(pool)) {
                gauge(pool, "desired", PoolStatus::desiredReplicas);
                gauge(pool, "current", PoolStatus::currentReplicas);
                gauge(pool, "ready", PoolStatus::readyReplicas);
                gauge(pool, "updated", PoolStatus::updatedReplicas);
            }
        }
    }

    private Counter errors(String cause) {
        return Counter.builder("herd.reconcile.errors").description("reconcile passes that met an error, by cause")
                .tag("cause", cause).register(registry);
    }

    /** A new process seen replacing a worker's earlier one (crash and Zinit restart, or a restart Herd ordered). */
    private void countRestarts(Collection<PoolStatus> pools) {
        Map<String, Integer> now = new HashMap<>();
        for (PoolStatus p : pools) {
            for (WorkerStatus w : p.workers()) {
                now.put(w.name(), w.restarts());
                int added = w.restarts() - restartsSeen.getOrDefault(w.name(), w.restarts());
                if (added > 0) {
                    Counter.builder("herd.worker.restarts").description("worker processes seen replaced by a new one, by pool")
                            .tag("pool", p.name()).register(registry).increment(added);
                }
            }
        }
        restartsSeen.clear();
        restartsSeen.putAll(now);
    }

    private void gauge(String pool, String kind, ToIntFunction<PoolStatus> value) {
        Gauge.builder("herd.pool.replicas", loop, l -> {
                    PoolStatus s = l.snapshot().pools().get(pool);
                    return s == null ? Double.NaN : value.applyAsInt(s);
                })
                .tag("pool", pool).tag("kind", kind).description("workers of a pool by kind").register(registry);
    }
}
