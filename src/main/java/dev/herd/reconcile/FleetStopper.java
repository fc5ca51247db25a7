package dev.herd.reconcile;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The original design's stop-all, for {@code herd.reconcile.stop-workers-on-shutdown=true}: stops
 * every owned worker through the {@link Terminator} (the same signals, deadlines and exit rule as
 * a removal), in {@link StopOrder}: one wave at a time, each wave the workers none of whose
 * dependents still run, and the next wave only once the last one has exited. The services stay in
 * Zinit, stopped.
 */
final class FleetStopper {
    private final ZinitObserver observer;
    private final Terminator terminator;
    private final EventLog events;

    FleetStopper(ZinitObserver observer, Terminator terminator, EventLog events) {
        this.observer = observer;
        this.terminator = terminator;
        this.events = events;
    }

    /** Stops every owned worker; those already terminating finish on their own deadlines but are waited for as dependents. */
    void stopAll(List<PoolIntent> intents) {
        Map<String, PoolIntent> byName = new HashMap<>();
        intents.forEach(i -> byName.put(i.name(), i));
        Observation observation = observer.observe().await().atMost(Duration.ofSeconds(30));
        StopOrder order = StopOrder.of(ReconcileLoop.pools(intents), observation.owned(), terminator.current());
        List<ObservedWorker> left = new ArrayList<>(observation.owned().stream()
                .filter(w -> !terminator.current().contains(w.name())).toList());
        while (!left.isEmpty()) {
            List<ObservedWorker> wave = nextWave(left, order);
            if (wave.isEmpty()) { // only workers already terminating are in the way: let them finish first
                terminator.awaitExits();
                wave = nextWave(left, order);
            }
            if (wave.isEmpty()) { // their exits cannot be seen (Zinit does not answer): stop the rest all the same
                wave = List.copyOf(left);
            }
            // a wave's stops go out together: a slow Zinit costs one call's wait, not one per worker
            Uni.join().all(wave.stream().map(w -> {
                PoolIntent intent = byName.get(w.pool());
                return terminator.begin(w.pool(), w.name(), "Herd is shutting down", PoolIntent.shutdownTimeout(intent), false,
                        PoolIntent.stopSignal(intent));
            }).toList()).andCollectFailures().await().atMost(Duration.ofSeconds(30));
            Set<String> names = wave.stream().map(ObservedWorker::name).collect(Collectors.toSet());
            terminator.awaitExits(names);
            for (ObservedWorker w : wave) {
                String how = terminator.current().of(w.name()).flatMap(Terminating::exit).map(Terminating.Exit::how)
                        .orElse("still running at its deadline");
                events.record(new Event(Instant.now(), "Normal", "Stopped", w.pool(), w.name(), "Herd is shutting down; " + how));
            }
            left.removeAll(wave);
        }
    }

    /** The workers of {@code left} none of whose dependents is left or still finishing. */
    private List<ObservedWorker> nextWave(List<ObservedWorker> left, StopOrder order) {
        Set<String> stopping = new HashSet<>(left.stream().map(ObservedWorker::pool).toList());
        terminator.current().all().stream().filter(t -> !t.exited()).forEach(t -> stopping.add(t.pool()));
        return left.stream().filter(w -> !order.mustWait(w.pool(), stopping)).toList();
    }
}
