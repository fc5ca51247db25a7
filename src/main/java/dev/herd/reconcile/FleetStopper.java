package dev.herd.reconcile;

import dev.herd.zinit.ZinitClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The original design's stop-all, for {@code herd.reconcile.stop-workers-on-shutdown=true}: stops
 * every owned worker, dependents before what they depend on, each within its shutdown timeout.
 */
final class FleetStopper {
    private static final Logger LOG = Logger.getLogger(FleetStopper.class);

    private final ZinitClient zinit;
    private final ZinitObserver observer;
    private final EventLog events;

    FleetStopper(ZinitClient zinit, ZinitObserver observer, EventLog events) {
        this.zinit = zinit;
        this.observer = observer;
        this.events = events;
    }

    /** Stops every owned worker but those already terminating (they are stopping on their own deadlines). */
    void stopAll(List<PoolIntent> intents, Terminations terminating) {
        Map<String, Integer> rank = Planner.ranks(ReconcileLoop.pools(intents));
        Observation observation = observer.observe().await().atMost(Duration.ofSeconds(30));
        List<ObservedWorker> order = observation.owned().stream().filter(w -> !terminating.contains(w.name()))
                .sorted(Comparator.comparing((ObservedWorker w) -> rank.getOrDefault(w.pool(), Integer.MAX_VALUE)).reversed())
                .toList();
        for (ObservedWorker w : order) {
            Duration grace = intents.stream().filter(i -> i.name().equals(w.pool())).findFirst()
                    .map(i -> i.render().apply(w.ordinal()).shutdownTimeout()).orElse(Duration.ofSeconds(10));
            try {
                zinit.stop(w.name()).await().atMost(Duration.ofSeconds(5));
                Instant deadline = Instant.now().plus(grace);
                while (Instant.now().isBefore(deadline) && zinit.status(w.name()).await().atMost(Duration.ofSeconds(5)).state().hasProcess()) {
                    Thread.sleep(50);
                }
                events.record(new Event(Instant.now(), "Normal", "Stopped", w.pool(), w.name(), "Herd is shutting down"));
            } catch (RuntimeException e) {
                LOG.warnf("pool=%s worker=%s could not be stopped on shutdown: %s", w.pool(), w.name(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
