package dev.herd.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Prometheus figures of the reconcile loop: passes (count, duration histogram), actions by kind
 * and outcome, and per pool desired/current/ready/updated replicas.
 */
@ApplicationScoped
public class ReconcileMetrics {
    private final MeterRegistry registry;
    private final ReconcileLoop loop;
    private final Set<String> poolsWithGauges = new HashSet<>();
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
    }

    private void record(ReconcileLoop.PassReport report) {
        passes.record(report.duration());
        if (!report.zinitReachable()) {
            unreachable.increment();
        }
        for (ActionOutcome o : report.outcomes()) {
            registry.counter("herd.reconcile.actions", "pool", o.action().pool(),
                    "action", o.action().getClass().getSimpleName(), "outcome", o.succeeded() ? "ok" : "failed").increment();
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

    private void gauge(String pool, String kind, ToIntFunction<PoolStatus> value) {
        Gauge.builder("herd.pool.replicas", loop, l -> {
                    PoolStatus s = l.snapshot().pools().get(pool);
                    return s == null ? Double.NaN : value.applyAsInt(s);
                })
                .tag("pool", pool).tag("kind", kind).description("workers of a pool by kind").register(registry);
    }
}
