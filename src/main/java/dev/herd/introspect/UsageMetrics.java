package dev.herd.introspect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Workers' CPU and memory as Prometheus gauges, tagged by pool only: a series per worker would
 * come and go with every scale step and rollout (worker names are reused, but a pool of 50 would
 * still mean 150 series), so the figures per worker are in the status API and {@code herd top}, and
 * the metrics give sums and the largest worker, enough to alert on a pool that grows.
 */
@ApplicationScoped
public class UsageMetrics {
    private final MeterRegistry registry;
    private final WorkerUsageSampler sampler;
    private final Set<String> pools = new HashSet<>();

    public UsageMetrics(MeterRegistry registry, WorkerUsageSampler sampler) {
        this.registry = registry;
        this.sampler = sampler;
    }

    void onStart(@Observes StartupEvent event) {
        sampler.onSample(this::register);
    }

    private void register(Map<String, PoolUsage> byPool) {
        for (String pool : byPool.keySet()) {
            if (pools.add(pool)) {
                gauge(pool, "herd.pool.cpu.percent", "CPU of the pool's workers and their children, percent of one core", PoolUsage::cpuPercent);
                gauge(pool, "herd.pool.memory.bytes", "resident memory of the pool's workers and their children", u -> u.memoryBytes());
                gauge(pool, "herd.pool.worker.memory.max.bytes", "resident memory of the pool's largest worker", u -> u.maxWorkerMemory());
            }
        }
    }

    private void gauge(String pool, String name, String description, ToDoubleFunction<PoolUsage> value) {
        Gauge.builder(name, sampler, s -> {
            PoolUsage u = s.pools().get(pool);
            return u == null ? Double.NaN : value.applyAsDouble(u);
        }).tag("pool", pool).description(description).register(registry);
    }
}
