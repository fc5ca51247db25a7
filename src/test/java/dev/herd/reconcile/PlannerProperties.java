package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.zinit.ServiceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner against a simulated Zinit: whatever the start, applying plans converges to exactly
 * the desired workers, never touches a foreign service, and keeps rollouts within their bounds.
 */
class PlannerProperties {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final CrashPolicy POLICY = new CrashPolicy(3, Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofMinutes(5), Duration.ZERO);
    private static final List<String> POOLS = List.of("osis", "sal", "v", "py");

    record World(List<DesiredPool> desired, List<ObservedWorker> workers, Set<String> foreign) {
    }

    @Property(tries = 400)
    void applyingPlansConvergesToExactlyTheDesiredWorkers(@ForAll("worlds") World world) {
        Simulation sim = new Simulation(world.workers(), world.foreign());
        int rounds = 0;
        Plan plan;
        // a pass with nothing to do still lets time pass: starting workers become ready
        while (!(plan = Planner.plan(world.desired(), sim.observation(), Memory.empty(), NOW, POLICY)).isEmpty() || sim.settle()) {
            assertThat(plan.actions()).noneMatch(a -> world.foreign().contains(a.worker()));
            sim.apply(plan, world.desired());
            assertThat(++rounds).as("rounds to converge").isLessThan(60);
        }
        Observation end = sim.observation();
        assertThat(end.foreign()).isEqualTo(world.foreign());
        for (DesiredPool pool : world.desired()) {
            List<ObservedWorker> workers = end.ofPool(pool.name());
            assertThat(workers).hasSize(pool.replicas());
            assertThat(workers).allMatch(w -> w.templateHash().equals(pool.templateHash()) && w.ready());
        }
        Set<String> desiredNames = new HashSet<>();
        world.desired().forEach(p -> desiredNames.add(p.name()));
        assertThat(end.owned()).allMatch(w -> desiredNames.contains(w.pool()));
        // at the fixed point, planning again yields nothing to do
        assertThat(Planner.plan(world.desired(), end, Memory.empty(), NOW, POLICY).isEmpty()).isTrue();
    }

    @Property(tries = 400)
    void rolloutsStayWithinSurgeAndAvailability(@ForAll("rollouts") World world) {
        DesiredPool pool = world.desired().get(0);
        Simulation sim = new Simulation(world.workers(), world.foreign());
        int minAvailable = Math.max(0, pool.replicas() - pool.maxUnavailable());
        for (int round = 0; round < 60; round++) {
            Plan plan = Planner.plan(world.desired(), sim.observation(), Memory.empty(), NOW, POLICY);
            if (plan.isEmpty()) {
                break;
            }
            long readyBefore = sim.observation().ofPool(pool.name()).stream().filter(ObservedWorker::ready).count();
            sim.applyWithoutSettling(plan, world.desired());
            List<ObservedWorker> after = sim.observation().ofPool(pool.name());
            assertThat(after.size()).as("workers during rollout").isLessThanOrEqualTo(pool.replicas() + pool.maxSurge());
            long readyAfter = after.stream().filter(ObservedWorker::ready).count();
            assertThat(readyAfter).as("ready workers during rollout").isGreaterThanOrEqualTo(Math.min(minAvailable, readyBefore));
            sim.settle();
        }
    }

    @Property(tries = 400)
    void aPoolWhoseLaunchIsRefusedGetsNoNewProcessAndKeepsWhatRuns(@ForAll("worlds") World world) {
        List<DesiredPool> refused = world.desired().stream()
                .map(p -> p.withLaunchRefused(java.util.Optional.of(new dev.herd.launch.LaunchRefusal("BinaryMismatch", "tampered"))))
                .toList();
        Observation observed = new Simulation(world.workers(), world.foreign()).observation();
        Plan plan = Planner.plan(refused, observed, Memory.empty(), NOW, POLICY);
        for (DesiredPool pool : refused) {
            List<Action> mine = plan.actions().stream().filter(a -> a.pool().equals(pool.name())).toList();
            assertThat(mine).noneMatch(a -> a instanceof Action.CreateWorker || a instanceof Action.StartWorker);
            // only the surplus over replicas goes (and workers whose process Zinit lost): never a rollout's replacement
            List<ObservedWorker> workers = observed.ofPool(pool.name());
            long removed = mine.stream().filter(a -> a instanceof Action.RemoveWorker)
                    .filter(a -> workers.stream().noneMatch(w -> w.name().equals(a.worker()) && w.processGone())).count();
            assertThat(removed).isLessThanOrEqualTo(Math.max(0, workers.size() - pool.replicas()));
        }
    }

    @Property(tries = 200)
    void aCountChangeNeverTouchesWorkersThatStay(@ForAll("fixedCounts") int from, @ForAll("fixedCounts") int to) {
        DesiredPool before = new DesiredPool("osis", from, "h1", 1, 1, List.of());
        Simulation sim = new Simulation(List.of(), Set.of());
        while (true) {
            Plan p = Planner.plan(List.of(before), sim.observation(), Memory.empty(), NOW, POLICY);
            if (p.isEmpty()) {
                break;
            }
            sim.apply(p, List.of(before));
        }
        Map<String, Integer> pids = new HashMap<>();
        sim.observation().owned().forEach(w -> pids.put(w.name(), w.pid()));
        DesiredPool after = new DesiredPool("osis", to, "h1", 1, 1, List.of());
        Plan scale = Planner.plan(List.of(after), sim.observation(), Memory.empty(), NOW, POLICY);
        assertThat(scale.actions()).allMatch(a -> from < to ? a instanceof Action.CreateWorker : a instanceof Action.RemoveWorker);
        assertThat(scale.actions()).hasSize(Math.abs(from - to));
        sim.apply(scale, List.of(after));
        sim.observation().owned().forEach(w -> {
            if (pids.containsKey(w.name())) {
                assertThat(w.pid()).as("pid of %s", w.name()).isEqualTo(pids.get(w.name()));
            }
        });
    }

    /** Scale-in takes the scaler's preference as data: not-ready first, then the preferred, then highest ordinal. */
    @Property(tries = 300)
    void scaleInRemovesNotReadyThenPreferredWorkers(@ForAll("fixedCounts") int to,
                                                    @ForAll("permutations") List<Integer> preferredOrdinals,
                                                    @ForAll("readiness") List<Boolean> ready) {
        List<ObservedWorker> workers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            workers.add(new ObservedWorker("osis-" + i, "osis", i, "h1", ready.get(i) ? ServiceState.RUNNING : ServiceState.STARTING, 100 + i));
        }
        List<String> preferred = preferredOrdinals.stream().map(i -> "osis-" + i).toList();
        DesiredPool pool = new DesiredPool("osis", to, "h1", 1, 1, List.of(), preferred);
        Plan plan = Planner.plan(List.of(pool), new Observation(workers, Set.of()), Memory.empty(), NOW, POLICY);

        List<String> expected = new ArrayList<>();
        workers.stream().filter(w -> !w.ready()).sorted((a, b) -> rank(preferred, a) - rank(preferred, b)).forEach(w -> expected.add(w.name()));
        workers.stream().filter(ObservedWorker::ready).sorted((a, b) -> rank(preferred, a) - rank(preferred, b)).forEach(w -> expected.add(w.name()));
        assertThat(plan.actions()).allMatch(a -> a instanceof Action.RemoveWorker);
        assertThat(plan.actions().stream().map(Action::worker).toList())
                .containsExactlyInAnyOrderElementsOf(expected.subList(0, Math.max(0, 12 - to)));
    }

    private static int rank(List<String> preferred, ObservedWorker w) {
        int at = preferred.indexOf(w.name());
        return at < 0 ? 1000 - w.ordinal() : at;
    }

    @Provide
    Arbitrary<List<Integer>> permutations() {
        return Arbitraries.integers().between(0, 11).list().uniqueElements().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Boolean>> readiness() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(4, true), net.jqwik.api.Tuple.of(1, false)).list().ofSize(12);
    }

    @Provide
    Arbitrary<Integer> fixedCounts() {
        return Arbitraries.integers().between(0, 12);
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<List<DesiredPool>> desired = desiredPool().list().ofMaxSize(4)
                .uniqueElements(DesiredPool::name);
        Arbitrary<List<ObservedWorker>> workers = observedWorker().list().ofMaxSize(14)
                .uniqueElements(ObservedWorker::name);
        Arbitrary<Set<String>> foreign = Arbitraries.of("osis-0", "osis-3", "sal-1", "redis", "v-2", "nginx").set().ofMaxSize(3);
        return Combinators.combine(desired, workers, foreign).as((d, w, f) -> new World(d, w.stream()
                .filter(x -> !f.contains(x.name())).toList(), f));
    }

    @Provide
    Arbitrary<World> rollouts() {
        Arbitrary<Integer> replicas = Arbitraries.integers().between(0, 10);
        Arbitrary<Integer> surge = Arbitraries.integers().between(0, 3);
        Arbitrary<Integer> unavailable = Arbitraries.integers().between(0, 3);
        return Combinators.combine(replicas, surge, unavailable).as((r, s, u) -> {
            DesiredPool pool = new DesiredPool("osis", r, "new", s, u, List.of());
            // start from a settled pool on the old template: every worker ready
            List<ObservedWorker> old = new ArrayList<>();
            for (int i = 0; i < r; i++) {
                old.add(new ObservedWorker("osis-" + i, "osis", i, "old", ServiceState.RUNNING, 100 + i));
            }
            return new World(List.of(pool), old, Set.of());
        });
    }

    private Arbitrary<DesiredPool> desiredPool() {
        return Combinators.combine(Arbitraries.of(POOLS), Arbitraries.integers().between(0, 8), Arbitraries.of("h1", "h2"),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
                .as((name, r, h, s, u) -> new DesiredPool(name, r, h, s, u, List.of()));
    }

    private Arbitrary<ObservedWorker> observedWorker() {
        Arbitrary<String> pool = Arbitraries.of("osis", "sal", "v", "py", "gone");
        Arbitrary<Integer> ordinal = Arbitraries.integers().between(0, 9);
        Arbitrary<String> hash = Arbitraries.of("h1", "h2", "h0");
        Arbitrary<ServiceState> state = Arbitraries.of(ServiceState.RUNNING, ServiceState.STARTING, ServiceState.FAILED,
                ServiceState.INACTIVE, ServiceState.EXITED, ServiceState.BLOCKED);
        Arbitrary<Boolean> gone = Arbitraries.of(false, false, false, true);
        return Combinators.combine(pool, ordinal, hash, state, gone).as((p, o, h, s, g) ->
                new ObservedWorker(p + "-" + o, p, o, h, s, s.hasProcess() ? 1000 + o : 0, g && s.hasProcess()));
    }

    /** A Zinit in memory: created workers start, then become ready on the next settle. */
    static final class Simulation {
        private final Map<String, ObservedWorker> workers = new HashMap<>();
        private final Set<String> foreign;
        private int nextPid = 5000;

        Simulation(List<ObservedWorker> initial, Set<String> foreign) {
            initial.forEach(w -> workers.put(w.name(), w));
            this.foreign = Set.copyOf(foreign);
        }

        Observation observation() {
            return new Observation(new ArrayList<>(workers.values()), foreign);
        }

        void apply(Plan plan, List<DesiredPool> desired) {
            applyWithoutSettling(plan, desired);
            settle();
        }

        void applyWithoutSettling(Plan plan, List<DesiredPool> desired) {
            for (Action a : plan.actions()) {
                if (a instanceof Action.CreateWorker c) {
                    assertThat(workers).doesNotContainKey(c.worker());
                    String hash = desired.stream().filter(p -> p.name().equals(c.pool())).findFirst().orElseThrow().templateHash();
                    workers.put(c.worker(), new ObservedWorker(c.worker(), c.pool(), c.ordinal(), hash, ServiceState.STARTING, nextPid++));
                } else if (a instanceof Action.RemoveWorker r) {
                    assertThat(workers.remove(r.worker())).isNotNull();
                } else if (a instanceof Action.StartWorker) {
                    workers.computeIfPresent(a.worker(), (k, w) ->
                            new ObservedWorker(w.name(), w.pool(), w.ordinal(), w.templateHash(), ServiceState.STARTING, nextPid++));
                } else if (a instanceof Action.HoldWorker) {
                    workers.computeIfPresent(a.worker(), (k, w) ->
                            new ObservedWorker(w.name(), w.pool(), w.ordinal(), w.templateHash(), ServiceState.INACTIVE, 0));
                }
            }
        }

        /** Starting workers become ready, blocked ones get their dependencies; true when any changed. */
        boolean settle() {
            boolean any = workers.values().stream().anyMatch(w -> w.state() == ServiceState.STARTING || w.state() == ServiceState.BLOCKED);
            workers.replaceAll((k, w) -> w.state() == ServiceState.STARTING || w.state() == ServiceState.BLOCKED
                    ? new ObservedWorker(w.name(), w.pool(), w.ordinal(), w.templateHash(), ServiceState.RUNNING, w.pid() > 0 ? w.pid() : nextPid++)
                    : w);
            return any;
        }
    }
}
