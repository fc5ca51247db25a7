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
 * herd.scaling.*: per pool queued and in-flight gauges (fixed-count pools too) and the desired count; decisions that changed
 * a count by direction and rule; read round trips (duration, pools per trip) and failed readings.
 */
final class ScalingMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong[]> pools = new ConcurrentHashMap<>();
    private final java.util.Set<String> withDesired = ConcurrentHashMap.newKeySet();
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

    /** A fixed-count pool's queue, read for the figures only. */
    void measured(String pool, long queued, long inFlight) {
        AtomicLong[] values = loads(pool);
        values[0].set(queued);
        values[1].set(inFlight);
    }

    private AtomicLong[] loads(String pool) {
        return pools.computeIfAbsent(pool, p -> {
            AtomicLong[] v = {new AtomicLong(), new AtomicLong()};
            Gauge.builder("herd.scaling.queued", v[0], AtomicLong::get).tag("pool", p).description("jobs waiting").register(registry);
            Gauge.builder("herd.scaling.inflight", v[1], AtomicLong::get).tag("pool", p).description("jobs in workers' hands").register(registry);
            return v;
        });
    }

    void decided(String pool, Decision d, long queued, long inFlight, Autoscaler scaler) {
        if (withDesired.add(pool)) {
            Gauge.builder("herd.scaling.desired", scaler, s -> s.inForce(pool)).tag("pool", pool).description("count decided").register(registry);
        }
        measured(pool, queued, inFlight);
        if (d.rule() == Rule.HELD_NO_DATA || d.rule() == Rule.FALLBACK) {
            registry.counter("herd.scaling.read.failures", "pool", pool).increment();
        }
        if (d.changed()) {
            registry.counter("herd.scaling.decisions", "pool", pool, "direction", d.desired() > d.from() ? "up" : "down",
                    "rule", d.rule().text()).increment();
        }
    }
}
