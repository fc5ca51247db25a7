package dev.herd.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.reconcile.WorkerPhase;
import dev.herd.reconcile.WorkerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A worker created again under the same name starts with a fresh health state, not its predecessor's. */
class TrackedWorkerTest {
    private static final Instant T0 = Instant.parse("2026-11-30T03:06:18Z");
    private static final PingVerdict.Policy POLICY = new PingVerdict.Policy(Duration.ofSeconds(2), Duration.ofSeconds(3), 2, "pong");

    private static WorkerStatus worker(Instant firstSeen, int pid) {
        return new WorkerStatus("soak-auto-5", "RUNNING", pid, 0, firstSeen, "abc", WorkerPhase.READY);
    }

    @Test
    void theSameWorkerKeepsItsStateAcrossRestartsAndARecreatedOneStartsFresh() {
        WorkerHealthMonitor.Tracked pinging = new WorkerHealthMonitor.Tracked(
                PingVerdict.State.fresh().pinging("ping-1", T0.plusSeconds(5), POLICY), T0, T0, Optional.of(T0), "idle", 0);

        // restarted in place (new pid, same worker): its ping in flight is still judged
        assertThat(WorkerHealthMonitor.Tracked.of(Optional.of(pinging), worker(T0, 6500), T0.plusSeconds(6))).isSameAs(pinging);

        // removed and created again under the same name: Herd saw it first later
        Instant recreated = T0.plusSeconds(14);
        WorkerHealthMonitor.Tracked fresh = WorkerHealthMonitor.Tracked.of(Optional.of(pinging), worker(recreated, 6427), recreated);
        assertThat(fresh.state()).isEqualTo(PingVerdict.State.fresh());
        assertThat(fresh.workerSince()).isEqualTo(recreated);
        assertThat(fresh.firstSeen()).isEqualTo(recreated);
        assertThat(fresh.skipped()).isZero();
    }

    @Test
    void aPingInFlightIsOrphanedWhenItsWorkerIsGoneOrCreatedAgain() {
        WorkerHealthMonitor.Tracked pinging = new WorkerHealthMonitor.Tracked(
                PingVerdict.State.fresh().pinging("ping-1", T0, POLICY), T0, T0, Optional.empty(), "idle", 0);
        WorkerHealthMonitor.Tracked quiet = WorkerHealthMonitor.Tracked.fresh(worker(T0, 2), T0);
        Instant later = T0.plusSeconds(20);
        WorkerHealthMonitor.Tracked recreated = WorkerHealthMonitor.Tracked.fresh(worker(later, 3), later);

        assertThat(WorkerHealthMonitor.orphanedPings(java.util.Map.of("a-0", pinging), java.util.Map.of("a-0", pinging))).isEmpty();
        assertThat(WorkerHealthMonitor.orphanedPings(java.util.Map.of("a-0", pinging), java.util.Map.of()))
                .containsExactly(java.util.Map.entry("a-0", "ping-1"));
        assertThat(WorkerHealthMonitor.orphanedPings(java.util.Map.of("a-0", pinging), java.util.Map.of("a-0", recreated)))
                .containsExactly(java.util.Map.entry("a-0", "ping-1"));
        // no ping in flight: nothing to withdraw
        assertThat(WorkerHealthMonitor.orphanedPings(java.util.Map.of("a-0", quiet), java.util.Map.of())).isEmpty();
    }

    @Test
    void skippedChecksAreCounted() {
        WorkerHealthMonitor.Tracked t = WorkerHealthMonitor.Tracked.fresh(worker(T0, 1), T0);
        assertThat(t.skippedOnce().skippedOnce().skipped()).isEqualTo(2);
        assertThat(t.skippedOnce().state()).isEqualTo(t.state());
    }
}
