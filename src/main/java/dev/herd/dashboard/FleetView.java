package dev.herd.dashboard;

import dev.herd.reconcile.Condition;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.WorkerStatus;
import dev.herd.scaling.ScaleOverride;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The whole fleet as the dashboard shows it: equal views mean nothing a viewer could see changed.
 *
 * @param zinitReachable whether the last pass could observe Zinit
 * @param zinitError     why it could not, or empty
 * @param lastPassEnded  when the last reconcile pass ended
 * @param pools          every pool, by name
 * @param events         the most recent events, newest last
 */
public record FleetView(boolean zinitReachable, Optional<String> zinitError, Optional<Instant> lastPassEnded,
                        List<PoolView> pools, List<Event> events) {
    public FleetView {
        pools = List.copyOf(pools);
        events = List.copyOf(events);
    }

    public static final FleetView EMPTY = new FleetView(false, Optional.empty(), Optional.empty(), List.of(), List.of());

    /**
     * Whether a viewer would see a difference. The time of the last pass moves every pass, so it
     * alone is no change: viewers get it with the next frame (at the latest with the next sample).
     */
    public boolean looksLike(FleetView other) {
        return zinitReachable == other.zinitReachable && zinitError.equals(other.zinitError)
                && pools.equals(other.pools) && events.equals(other.events);
    }

    /**
     * One pool.
     *
     * @param name               pool name
     * @param desiredReplicas    workers wanted
     * @param currentReplicas    workers that exist
     * @param readyReplicas      workers running
     * @param updatedReplicas    workers on the current template
     * @param generation         the spec's generation
     * @param observedGeneration the generation the last pass acted on
     * @param autoscaling        the autoscaling bounds, empty for a fixed count
     * @param queue              jobs waiting and in hand
     * @param lastDecision       the scaler's last decision in words, or empty
     * @param override           a manual count in force
     * @param conditions         the pool's conditions, ScalingActive included for autoscaled pools
     * @param workers            every worker
     */
    public record PoolView(String name, int desiredReplicas, int currentReplicas, int readyReplicas, int updatedReplicas,
                           long generation, long observedGeneration, Optional<Bounds> autoscaling, QueueDepth queue,
                           String lastDecision, Optional<ScaleOverride> override, List<Condition> conditions,
                           List<WorkerStatus> workers) {
        public PoolView {
            conditions = List.copyOf(conditions);
            workers = List.copyOf(workers);
        }
    }

    /** An autoscaled pool's range and target. */
    public record Bounds(int minReplicas, int maxReplicas, int targetQueueLengthPerReplica) {
    }

    /**
     * A pool's work.
     *
     * @param known    whether the last reading succeeded (the counts are then current)
     * @param queued   jobs waiting
     * @param inFlight jobs in workers' hands
     * @param problem  why the queue could not be read, or empty
     */
    public record QueueDepth(boolean known, long queued, long inFlight, String problem) {
        public static QueueDepth unknown(String why) {
            return new QueueDepth(false, 0, 0, why);
        }
    }
}
