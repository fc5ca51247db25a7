package dev.herd.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.reconcile.WorkerPhase;
import dev.herd.dashboard.FleetView.QueueDepth;
import dev.herd.desired.Autoscaling;
import dev.herd.reconcile.Condition;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.WorkerStatus;
import dev.herd.scaling.Reading;
import dev.herd.scaling.ScaleStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the states Herd keeps become what the dashboard shows. */
class FleetViewsTest {
    private static final Instant T = Instant.parse("2026-11-30T01:00:00Z");

    @Test
    void anAutoscaledPoolShowsTheScalersReadingAndItsCondition() {
        ScaleStatus held = new ScaleStatus("py", 3, true, 12, 2, Optional.empty(), "3 -> 3: held",
                List.of(new Condition("ScalingActive", false, "ScalingHeld", "Redis unreachable; holding 3", T)), List.of());
        FleetView fleet = FleetViews.build(snapshot(status("py", 3, 2)), Map.of("py", held),
                Map.of("py", autoscaling(0, 5)), Map.of(), List.of());

        FleetView.PoolView py = fleet.pools().get(0);
        assertThat(py.queue()).isEqualTo(new QueueDepth(false, 12, 2, "Redis unreachable; holding 3"));
        assertThat(py.autoscaling()).contains(new FleetView.Bounds(0, 5, dev.herd.desired.Defaults.TARGET_QUEUE_LENGTH_PER_REPLICA));
        assertThat(py.conditions()).extracting(Condition::type).contains("Ready", "ScalingActive");
        assertThat(py.lastDecision()).isEqualTo("3 -> 3: held");
        assertThat(fleet.zinitReachable()).isTrue();
    }

    @Test
    void aFixedPoolShowsTheDashboardsOwnReadingAndKeepsTheLastGoodOneWhenAReadFails() {
        QueueDepth good = FleetViews.after(Optional.empty(), new Reading.Measured(4, 1));
        QueueDepth failed = FleetViews.after(Optional.of(good), new Reading.Failed("timeout"));
        assertThat(good).isEqualTo(new QueueDepth(true, 4, 1, ""));
        assertThat(failed).isEqualTo(new QueueDepth(false, 4, 1, "timeout"));
        assertThat(FleetViews.after(Optional.empty(), new Reading.Failed("timeout"))).isEqualTo(QueueDepth.unknown("timeout"));

        FleetView fleet = FleetViews.build(snapshot(status("osis", 2, 2)), Map.of(), Map.of(), Map.of("osis", failed), List.of());
        assertThat(fleet.pools().get(0).autoscaling()).isEmpty();
        assertThat(FleetViews.samples(fleet, T)).containsEntry("osis", new Sample(T.toEpochMilli(), 4, 1, 2, 2, 2));
    }

    @Test
    void aPoolNotReadYetSaysSoAndPoolsComeInNameOrder() {
        FleetView fleet = FleetViews.build(snapshot(status("b", 1, 0), status("a", 1, 1)), Map.of(), Map.of(), Map.of(), List.of());
        assertThat(fleet.pools()).extracting(FleetView.PoolView::name).containsExactly("a", "b");
        assertThat(fleet.pools().get(0).queue()).isEqualTo(QueueDepth.unknown("not read yet"));
    }

    @Test
    void aNewPassAloneIsNoChangeToShowButANewCountIs() {
        FleetView before = FleetViews.build(snapshot(status("a", 2, 1)), Map.of(), Map.of(), Map.of(), List.of());
        ReconcileLoop.Snapshot later = new ReconcileLoop.Snapshot(Map.of("a", status("a", 2, 1)), Optional.of(T.plusSeconds(1)),
                Optional.empty(), true, Duration.ofMillis(2));
        assertThat(FleetViews.build(later, Map.of(), Map.of(), Map.of(), List.of()).looksLike(before)).isTrue();
        assertThat(FleetViews.build(snapshot(status("a", 2, 2)), Map.of(), Map.of(), Map.of(), List.of()).looksLike(before)).isFalse();
    }

    private static ReconcileLoop.Snapshot snapshot(PoolStatus... pools) {
        Map<String, PoolStatus> byName = new java.util.HashMap<>();
        for (PoolStatus p : pools) {
            byName.put(p.name(), p);
        }
        return new ReconcileLoop.Snapshot(byName, Optional.of(T), Optional.empty(), true, Duration.ofMillis(3));
    }

    private static PoolStatus status(String name, int desired, int ready) {
        List<WorkerStatus> workers = java.util.stream.IntStream.range(0, ready)
                .mapToObj(i -> new WorkerStatus(name + "-" + i, "RUNNING", 100 + i, 0, T, "h1", WorkerPhase.READY)).toList();
        return new PoolStatus(name, desired, ready, ready, ready, 1, 1,
                List.of(new Condition("Ready", desired == ready, "AllWorkersReady", "", T)), workers);
    }

    private static Autoscaling autoscaling(int min, int max) {
        return Autoscaling.between(min, max);
    }
}
