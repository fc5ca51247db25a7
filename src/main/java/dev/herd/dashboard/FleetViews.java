package dev.herd.dashboard;

import dev.herd.dashboard.FleetView.Bounds;
import dev.herd.dashboard.FleetView.PoolView;
import dev.herd.dashboard.FleetView.QueueDepth;
import dev.herd.desired.Autoscaling;
import dev.herd.reconcile.Condition;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.scaling.Reading;
import dev.herd.scaling.ScaleStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds what the dashboard shows from the states Herd already keeps. Pure: no clock, no I/O. */
public final class FleetViews {
    static final String SCALING_ACTIVE = "ScalingActive";

    private FleetViews() {
    }

    /**
     * @param snapshot    the reconcile loop's last pass
     * @param scaling     the scaler's view of each pool
     * @param autoscaling each autoscaled pool's spec, by name
     * @param readDepths  queue depths of the pools the scaler does not read (see {@link #after})
     * @param events      recent events, newest last
     */
    public static FleetView build(ReconcileLoop.Snapshot snapshot, Map<String, ScaleStatus> scaling,
                                  Map<String, Autoscaling> autoscaling, Map<String, QueueDepth> readDepths, List<Event> events) {
        List<PoolView> pools = snapshot.pools().values().stream()
                .sorted(Comparator.comparing(PoolStatus::name))
                .map(p -> pool(p, Optional.ofNullable(scaling.get(p.name())), Optional.ofNullable(autoscaling.get(p.name())),
                        Optional.ofNullable(readDepths.get(p.name()))))
                .toList();
        return new FleetView(snapshot.zinitError().isEmpty() && snapshot.lastPassEnded().isPresent(), snapshot.zinitError(),
                snapshot.lastPassEnded(), pools, events);
    }

    private static PoolView pool(PoolStatus p, Optional<ScaleStatus> scale, Optional<Autoscaling> spec, Optional<QueueDepth> read) {
        List<Condition> conditions = new ArrayList<>(p.conditions());
        scale.ifPresent(s -> conditions.addAll(s.conditions()));
        QueueDepth queue = spec.isPresent() ? scaledQueue(scale) : read.orElse(QueueDepth.unknown("not read yet"));
        return new PoolView(p.name(), p.desiredReplicas(), p.currentReplicas(), p.readyReplicas(), p.updatedReplicas(),
                p.generation(), p.observedGeneration(),
                spec.map(a -> new Bounds(a.minReplicas(), a.maxReplicas(), a.targetQueueLengthPerReplica())), queue,
                scale.map(ScaleStatus::lastDecision).orElse(""), scale.flatMap(ScaleStatus::override), conditions, p.workers());
    }

    /** The scaler's last reading: while readings fail it keeps the last good counts, marked as not current. */
    private static QueueDepth scaledQueue(Optional<ScaleStatus> scale) {
        if (scale.isEmpty()) {
            return QueueDepth.unknown("not read yet");
        }
        ScaleStatus s = scale.get();
        return s.conditions().stream().filter(c -> c.type().equals(SCALING_ACTIVE)).findFirst()
                .map(c -> new QueueDepth(c.status(), s.queued(), s.inFlight(), c.status() ? "" : c.message()))
                .orElse(QueueDepth.unknown("not read yet"));
    }

    /** A pool's depth after a reading: a failed one keeps the last good counts, marked as not current. */
    public static QueueDepth after(Optional<QueueDepth> previous, Reading reading) {
        if (reading instanceof Reading.Measured m) {
            return new QueueDepth(true, m.queued(), m.inFlight(), "");
        }
        String why = ((Reading.Failed) reading).reason();
        return previous.map(p -> new QueueDepth(false, p.queued(), p.inFlight(), why)).orElse(QueueDepth.unknown(why));
    }

    /** One history sample per pool (a queue that could not be read counts as its last known depth). */
    public static Map<String, Sample> samples(FleetView fleet, Instant now) {
        Map<String, Sample> out = new LinkedHashMap<>();
        for (PoolView p : fleet.pools()) {
            out.put(p.name(), new Sample(now.toEpochMilli(), p.queue().queued(), p.queue().inFlight(),
                    p.desiredReplicas(), p.currentReplicas(), p.readyReplicas()));
        }
        return out;
    }
}
