package dev.herd.scaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * herd.scaling.*: per pool queued and in-flight gauges and the desired count; decisions that changed
 * a count by direction and rule; read round trips (duration, pools per trip) and failed readings.
 */
final class ScalingMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong[]> pools = new ConcurrentHashMap<>();
    private final Timer reads;
    private final Counter pooledReads;

    ScalingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reads = Timer.builder("herd.scaling.read").description("pipelined queue reads (one round trip each)").register(registry);
        this.pooledReads = Counter.builder("herd.scaling.read.pools").description("pool readings taken").register(registry);
    }

    void read(Duration took, int poolCount) {
        reads.record(took);
        pooledReads.increment(poolCount);
    }

    void decided(String pool, Decision d, long queued, long inFlight, Autoscaler scaler) {
        AtomicLong[] values = pools.computeIfAbsent(pool, p -> {
            AtomicLong[] v = {new AtomicLong(), new AtomicLong()};
            Gauge.builder("herd.scaling.queued", v[0], AtomicLong::get).tag("pool", p).description("jobs waiting").register(registry);
            Gauge.builder("herd.scaling.inflight", v[1], AtomicLong::get).tag("pool", p).description("jobs in workers' hands").register(registry);
            Gauge.builder("herd.scaling.desired", scaler, s -> s.inForce(p)).tag("pool", p).description("count decided").register(registry);
            return v;
        });
        values[0].set(queued);
        values[1].set(inFlight);
        if (d.rule() == Rule.HELD_NO_DATA || d.rule() == Rule.FALLBACK) {
            registry.counter("herd.scaling.read.failures", "pool", pool).increment();
        }
        if (d.changed()) {
            registry.counter("herd.scaling.decisions", "pool", pool, "direction", d.desired() > d.from() ? "up" : "down",
                    "rule", d.rule().text()).increment();
        }
    }
}
