package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A worker's kills for memory as its status shows them, and the condition of limits a host cannot enforce. */
class OomAndLimitsStatusTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
    private static final CrashPolicy POLICY = CrashPolicy.defaults();

    private static Observation seen(long oomKills) {
        return new Observation(List.of(new ObservedWorker("hog-0", "hog", 0, "h", ServiceState.RUNNING, 42, false, List.of(), oomKills)),
                Set.of());
    }

    @Test
    void aCountThatGrowsWhileHerdWatchesIsAnOomKillAndOneFoundAtStartIsNot() {
        Memory start = Memory.empty().observe(seen(3), T0, POLICY);
        assertThat(Memory.empty().newlyOomKilled(start)).as("kills from before Herd started watching").isEmpty();
        assertThat(start.of("hog-0").oomKilledAt()).isEmpty();

        Memory same = start.observe(seen(3), T0.plusSeconds(1), POLICY);
        assertThat(start.newlyOomKilled(same)).isEmpty();

        Memory killed = same.observe(seen(4), T0.plusSeconds(2), POLICY);
        assertThat(same.newlyOomKilled(killed)).containsExactly("hog-0");
        assertThat(killed.of("hog-0").oomKilledAt()).contains(T0.plusSeconds(2));
        Memory later = killed.observe(seen(4), T0.plusSeconds(3), POLICY);
        assertThat(killed.newlyOomKilled(later)).as("one kill, one event").isEmpty();
        assertThat(later.of("hog-0").oomKilledAt()).as("kept for the status").contains(T0.plusSeconds(2));

        // a new group of the same name starts its count again: no kill in that
        Memory fresh = later.observe(seen(0), T0.plusSeconds(4), POLICY);
        assertThat(later.newlyOomKilled(fresh)).isEmpty();
    }

    @Test
    void theStatusShowsTheLastTerminationAndTheUnenforcedLimitsCondition() {
        Memory memory = Memory.empty().observe(seen(0), T0, POLICY).observe(seen(1), T0.plusSeconds(5), POLICY);
        DesiredPool pool = new DesiredPool("hog", 1, "h", 1, 0, List.of());
        PoolIntent intent = new PoolIntent(pool, o -> ServiceSpec.of("hog-" + o, new Command.Argv(List.of("x"))), 1, List.of(),
                Optional::empty, Optional.of("hog.yaml: spec.template.limits.memory: no cgroup hierarchy on this host offers the memory controller"));
        PoolStatus status = StatusCalculator.compute(List.of(intent), seen(1), Terminations.none(), memory,
                new Plan(List.of(), List.of(), Optional.empty()), Map.of(), Map.of(), Map.of(), Map.of(), ReconcileSettings.DEFAULT_BUDGET,
                T0.plusSeconds(6)).get("hog");

        assertThat(status.workers().get(0).lastTermination())
                .contains(new WorkerStatus.Termination(WorkerStatus.Termination.OOM_KILLED, T0.plusSeconds(5)));
        Condition limits = status.conditions().stream().filter(c -> c.type().equals(Condition.LIMITS_NOT_ENFORCED)).findFirst().orElseThrow();
        assertThat(limits.status()).isTrue();
        assertThat(limits.reason()).isEqualTo("NoWritableCgroup");
        assertThat(limits.message()).isEqualTo("hog.yaml: spec.template.limits.memory: no cgroup hierarchy on this host offers the"
                + " memory controller; the workers run without these limits");
    }
}
