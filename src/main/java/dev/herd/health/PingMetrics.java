package dev.herd.health;

import dev.herd.reconcile.Event;
import dev.herd.reconcile.ReconcileLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code herd.worker.ping.failures} and {@code herd.worker.ping.restarts} by pool, counted from the
 * monitor's own events (PingFailed, Restarted), so the figures and the event feed never disagree.
 */
@ApplicationScoped
public class PingMetrics {
    private final MeterRegistry registry;
    private final ReconcileLoop loop;

    public PingMetrics(MeterRegistry registry, ReconcileLoop loop) {
        this.registry = registry;
        this.loop = loop;
    }

    void onStart(@Observes StartupEvent event) {
        loop.events().subscribe(this::count);
    }

    private void count(Event e) {
        String name = switch (e.reason()) {
            case "PingFailed" -> "herd.worker.ping.failures";
            case "Restarted" -> "herd.worker.ping.restarts";
            default -> "";
        };
        if (!name.isEmpty()) {
            Counter.builder(name).description("failed pings, and restarts ordered for them, by pool").tag("pool", e.pool())
                    .register(registry).increment();
        }
    }
}
