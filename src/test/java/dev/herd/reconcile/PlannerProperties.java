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
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner against a simulated Zinit: whatever the start, applying plans converges to exactly
 * the desired workers, never touches a foreign service, keeps rollouts within their bounds, and
 * leaves workers being removed alone (names never reused, never removed twice) until their
 * process is gone, then deletes them.
 */
class PlannerProperties {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final CrashPolicy POLICY = new CrashPolicy(3, Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofMinutes(5), Duration.ZERO);
    private static final List<String> POOLS = List.of("osis", "sal", "v", "py");

    record World(List<DesiredPool> desired, List<ObservedWorker> workers, Set<String> foreign, Terminations terminating) {
        World(List<DesiredPool> desired, List<ObservedWorker> workers, Set<String> foreign) {
            this(desired, workers, foreign, Terminations.none());
        }
    }

    @Property(tries = 400)
    void applyingPlansConvergesToExactlyTheDesiredWorkers(@ForAll("worlds") World world) {
        assertConverges(world);
    }

    /**
     * Against Zinit 0.3.9's slots: no delete ever moves another service to another slot (the
     * simulated Zinit fails the test), and the desired workers are reached all the same. A removed
     * worker may stay parked (stopped, not deleted) only while a service with a process ends Zinit's list.
     */
    @Property(tries = 600)
    void noDeleteMovesAServiceAndPlansStillConverge(@ForAll("worlds") World world) {
        Simulation sim = new Simulation(world.workers(), world.foreign(), world.terminating(), true);
        int rounds = 0;
        Plan plan;
        while (!(plan = sim.plan(world.desired())).isEmpty() || sim.settle()) {
            sim.apply(plan, world.desired());
            assertThat(++rounds).as("rounds to converge").isLessThan(80);
        }
        Observation end = sim.observation();
        for (DesiredPool pool : world.desired()) {
            List<ObservedWorker> workers = end.ofPool(pool.name()).stream().filter(w -> !sim.terminating().contains(w.name())).toList();
            assertThat(workers).hasSize(pool.replicas());
            assertThat(workers).allMatch(w -> w.templateHash().equals(pool.templateHash()) && w.ready());
        }
        assertThat(sim.terminating().all()).allMatch(Terminating::exited);
        if (!sim.terminating().isEmpty()) {
            List<String> slots = sim.slots();
            assertThat(sim.hasProcess(slots.get(slots.size() - 1))).as("%s parked behind a stopped service", sim.terminating().byWorker().keySet())
                    .isTrue();
        }
    }

    @Property(tries = 400)
    void withDependenciesPlansStillConverge(@ForAll("dependentWorlds") World world) {
        assertConverges(world);
    }

    /**
     * Pools that start after each other (a cycle validation would report), and labels that no longer
     * match the desired {@code after} (a file changed its order): removals are not ordered against
     * each other then, but none is held for ever.
     */
    @Property(tries = 300)
    void cyclesAndStaleLabelsHoldNoRemovalForEver(@ForAll("worlds") World world) {
        Map<String, List<String>> desiredAfter = Map.of("osis", List.of("sal"), "sal", List.of("osis-1"), "v", List.of("py"));
        Map<String, List<String>> labelled = Map.of("py", List.of("v"), "osis", List.of("v"), "gone", List.of("osis"));
        assertConverges(new World(
                world.desired().stream().map(p -> new DesiredPool(p.name(), p.replicas(), p.templateHash(), p.maxSurge(), p.maxUnavailable(),
                        desiredAfter.getOrDefault(p.name(), List.of()))).toList(),
                world.workers().stream().map(x -> new ObservedWorker(x.name(), x.pool(), x.ordinal(), x.templateHash(), x.state(), x.pid(),
                        x.processGone(), labelled.getOrDefault(x.pool(), List.of()))).toList(),
                world.foreign(), world.terminating()));
    }

    /**
     * Removal is ordered on completion: whenever a plan stops a worker (a replacement of a worker
     * whose process is already gone aside), no worker of a pool that starts after its pool, directly
     * or through others, is still finishing or stopped by the same plan. Whatever the start: pools
     * scaled down together, pools gone from the desired state (ordered by their workers' labels),
     * rollouts of both sides, removals already under way.
     */
    @Property(tries = 600)
    void aWorkerIsStoppedOnlyOnceEveryDependentBeingRemovedHasExited(@ForAll("dependentWorlds") World world) {
        converge(world, true, (plan, before, seen) -> {
            Set<String> present = new HashSet<>(); // a pool neither desired nor seen tells nobody what it starts after
            world.desired().forEach(p -> present.add(p.name()));
            seen.owned().forEach(w -> present.add(w.pool()));
            for (Action a : plan.actions()) {
                if (!(a instanceof Action.RemoveWorker r) || r.replace()) {
                    continue;
                }
                for (Terminating t : before.all()) {
                    if (!t.replace() && needs(t.pool(), r.pool(), present)) { // a replaced worker's process is gone already
                        assertThat(t.exited()).as("%s stopped while its dependent %s is still finishing", r.worker(), t.worker()).isTrue();
                    }
                }
                assertThat(plan.actions()).as("%s stopped by the plan that stops its dependents", r.worker())
                        .noneMatch(d -> d instanceof Action.RemoveWorker dr && !dr.replace() && needs(d.pool(), r.pool(), present));
            }
        });
    }

    /** Whether {@code pool} starts after {@code other} as {@link #AFTER} says, directly or through pools that are {@code present}. */
    private static boolean needs(String pool, String other, Set<String> present) {
        for (String a : AFTER.getOrDefault(pool, List.of())) {
            String dependency = a.replaceAll("-\\d+$", "");
            if (present.contains(dependency) && (dependency.equals(other) || needs(dependency, other, present))) {
                return true;
            }
        }
        return false;
    }

    private static void assertConverges(World world) {
        Simulation sim = converge(world, false, (plan, terminating, seen) ->
                assertThat(plan.actions()).noneMatch(a -> world.foreign().contains(a.worker())));
        Observation end = sim.observation();
        // a removed worker another still starts after stays (its delete would take that one along in Zinit)
        assertThat(sim.terminating().all()).as("every removal finished").allMatch(t -> t.exited()
                && end.owned().stream().anyMatch(w -> !sim.terminating().contains(w.name()) && w.after().contains(t.worker())));
        assertThat(end.foreign()).isEqualTo(world.foreign());
        for (DesiredPool pool : world.desired()) {
            List<ObservedWorker> workers = end.ofPool(pool.name()).stream().filter(w -> !sim.terminating().contains(w.name())).toList();
            assertThat(workers).hasSize(pool.replicas());
            assertThat(workers).allMatch(w -> w.templateHash().equals(pool.templateHash()) && w.ready());
        }
        Set<String> desiredNames = new HashSet<>();
        world.desired().forEach(p -> desiredNames.add(p.name()));
        assertThat(end.owned()).allMatch(w -> desiredNames.contains(w.pool()) || sim.terminating().contains(w.name()));
        // at the fixed point, planning again yields nothing to do
        assertThat(Planner.plan(world.desired(), end, sim.terminating(), Memory.empty(), NOW, POLICY).isEmpty()).as("nothing left to do").isTrue();
    }

    /**
     * While workers terminate, every plan leaves them alone but for deleting those whose process is
     * gone (or starting such a one again, parked, as its pool's worker): no other action on a
     * terminating name, no new worker under a terminating name
     * (the simulation refuses a create over an existing or terminating name and a second removal).
     */
    @Property(tries = 400)
    void terminatingWorkersAreNeverReusedNorRemovedTwice(@ForAll("worlds") World world) {
        converge(world, true, (plan, before, seen) -> {
            for (Action a : plan.actions()) {
                if (before.contains(a.worker())) {
                    assertThat(a).as("the only actions on terminating %s", a.worker())
                            .isInstanceOfAny(Action.DeleteWorker.class, Action.ReuseWorker.class);
                    assertThat(before.of(a.worker()).orElseThrow().exited()).as("%s deleted or reused after its exit", a.worker()).isTrue();
                } else {
                    assertThat(a).isNotInstanceOf(Action.DeleteWorker.class);
                }
                if (a instanceof Action.CreateWorker c) {
                    assertThat(before.all()).noneMatch(t -> t.worker().equals(c.worker()));
                }
            }
            assertThat(plan.actions().stream().map(Action::worker).distinct().count()).as("one action per worker")
                    .isEqualTo(plan.actions().size());
        });
    }

    /**
     * Plans and applies until nothing is left to do, checking each plan (with the terminations it was made from) first. A pass with nothing
     * to do still lets time pass: starting workers become ready, terminating ones exit. With
     * {@code overlapping}, every other round applies without letting time pass, so removals overlap
     * the next plan.
     */
    private static Simulation converge(World world, boolean overlapping, PlanCheck check) {
        Simulation sim = new Simulation(world.workers(), world.foreign(), world.terminating());
        int rounds = 0;
        Plan plan;
        while (!(plan = sim.plan(world.desired())).isEmpty() || sim.settle()) {
            check.accept(plan, sim.terminating(), sim.observation());
            if (overlapping && rounds % 2 == 0) {
                sim.applyWithoutSettling(plan, world.desired());
            } else {
                sim.apply(plan, world.desired());
            }
            assertThat(++rounds).as("rounds to converge").isLessThan(80);
        }
        return sim;
    }

    /** A check of a plan, with the terminations and the observation it was made from. */
    private interface PlanCheck {
        void accept(Plan plan, Terminations before, Observation seen);
    }

    /** Planning again right after a plan was applied repeats none of it (removals started are not started again). */
    @Property(tries = 400)
    void aSecondPlanRightAfterTheFirstRepeatsNoneOfIt(@ForAll("worlds") World world) {
        Simulation sim = new Simulation(world.workers(), world.foreign(), world.terminating());
        Plan first = sim.plan(world.desired());
        sim.applyWithoutSettling(first, world.desired());
        Plan second = sim.plan(world.desired());
        Set<String> done = new HashSet<>();
        first.actions().forEach(a -> done.add(a.getClass().getSimpleName() + " " + a.worker()));
        assertThat(second.actions()).noneMatch(a -> done.contains(a.getClass().getSimpleName() + " " + a.worker()));
    }

    /** For a pool that only changes its count, the plan after applying one has nothing left to do. */
    @Property(tries = 300)
    void afterAScalePlanIsAppliedNothingIsLeftToDo(@ForAll("fixedCounts") int from, @ForAll("fixedCounts") int to,
                                                   @ForAll("fixedCounts") int leaving) {
        List<ObservedWorker> workers = new ArrayList<>();
        Terminations terminating = Terminations.none();
        for (int i = 0; i < from + leaving; i++) {
            workers.add(new ObservedWorker("osis-" + i, "osis", i, "h1", ServiceState.RUNNING, 100 + i));
            if (i >= from) {
                terminating = terminating.begun(new Terminating("osis-" + i, "osis", i, "scale down", NOW, NOW.plusSeconds(30), false));
            }
        }
        Simulation sim = new Simulation(workers, Set.of(), terminating);
        DesiredPool pool = new DesiredPool("osis", to, "h1", 1, 1, List.of());
        Plan scale = sim.plan(List.of(pool));
        assertThat(scale.actions()).hasSize(Math.abs(from - to));
        sim.applyWithoutSettling(scale, List.of(pool));
        assertThat(sim.plan(List.of(pool)).isEmpty()).as("a plan right after applying " + scale.actions()).isTrue();
    }

    @Property(tries = 400)
    void rolloutsStayWithinSurgeAndAvailability(@ForAll("rollouts") World world) {
        DesiredPool pool = world.desired().get(0);
        Simulation sim = new Simulation(world.workers(), world.foreign(), Terminations.none());
        int minAvailable = Math.max(0, pool.replicas() - pool.maxUnavailable());
        for (int round = 0; round < 60; round++) {
            Plan plan = sim.plan(world.desired());
            if (plan.isEmpty() && !sim.settle()) {
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
        Simulation sim = new Simulation(world.workers(), world.foreign(), world.terminating());
        Observation observed = sim.observation();
        Plan plan = sim.plan(refused);
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
        Simulation sim = new Simulation(List.of(), Set.of(), Terminations.none());
        while (true) {
            Plan p = sim.plan(List.of(before));
            if (p.isEmpty()) {
                break;
            }
            sim.apply(p, List.of(before));
        }
        Map<String, Integer> pids = new HashMap<>();
        sim.observation().owned().forEach(w -> pids.put(w.name(), w.pid()));
        DesiredPool after = new DesiredPool("osis", to, "h1", 1, 1, List.of());
        Plan scale = sim.plan(List.of(after));
        assertThat(scale.actions()).allMatch(a -> from < to ? a instanceof Action.CreateWorker : a instanceof Action.RemoveWorker);
        assertThat(scale.actions()).hasSize(Math.abs(from - to));
        sim.apply(scale, List.of(after));
        sim.observation().owned().forEach(w -> {
            if (pids.containsKey(w.name()) && !sim.terminating().contains(w.name())) {
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
        // 0: not being removed, 1: terminating, 2: terminating and exited, 3: exited and its service gone
        Arbitrary<List<Integer>> removal = Arbitraries.frequency(net.jqwik.api.Tuple.of(6, 0), net.jqwik.api.Tuple.of(2, 1),
                net.jqwik.api.Tuple.of(2, 2), net.jqwik.api.Tuple.of(1, 3)).list().ofSize(14);
        return Combinators.combine(desired, workers, foreign, removal).as((d, w, f, r) -> world(d,
                w.stream().filter(x -> !f.contains(x.name())).toList(), f, r));
    }

    /** A world where some workers are being removed, as {@code removal} says for each. */
    private static World world(List<DesiredPool> desired, List<ObservedWorker> workers, Set<String> foreign, List<Integer> removal) {
        List<ObservedWorker> present = new ArrayList<>();
        Terminations terminating = Terminations.none();
        for (int i = 0; i < workers.size(); i++) {
            ObservedWorker w = workers.get(i);
            int how = removal.get(i);
            if (how > 0) {
                terminating = terminating.begun(new Terminating(w.name(), w.pool(), w.ordinal(), "scale down", NOW.minusSeconds(5),
                        NOW.plusSeconds(25), false));
                w = new ObservedWorker(w.name(), w.pool(), w.ordinal(), w.templateHash(), how == 1 ? ServiceState.STOPPING
                        : ServiceState.EXITED, how == 1 ? Math.max(1, w.pid()) : 0);
            }
            if (how >= 2) {
                terminating = terminating.exited(w.name(), NOW, "stopped");
            }
            if (how != 3) {
                present.add(w);
            }
        }
        return new World(desired, present, foreign, terminating);
    }

    /**
     * The pools' {@code after} in the dependent worlds: sal after osis, v after sal, py after the
     * worker osis-0, and the pool that left the desired state after v (known from its workers' labels only).
     */
    private static final Map<String, List<String>> AFTER = Map.of("sal", List.of("osis", "redis"), "v", List.of("sal"),
            "py", List.of("osis-0"), "gone", List.of("v"));

    /** Worlds whose pools depend on each other as {@link #AFTER} says, in every mix of scaling, rollout and removal. */
    @Provide
    Arbitrary<World> dependentWorlds() {
        return worlds().map(w -> new World(
                w.desired().stream().map(p -> new DesiredPool(p.name(), p.replicas(), p.templateHash(), p.maxSurge(), p.maxUnavailable(),
                        AFTER.getOrDefault(p.name(), List.of()))).toList(),
                w.workers().stream().map(x -> new ObservedWorker(x.name(), x.pool(), x.ordinal(), x.templateHash(), x.state(), x.pid(),
                        x.processGone(), AFTER.getOrDefault(x.pool(), List.of()))).toList(),
                w.foreign(), w.terminating()));
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

    /**
     * A Zinit in memory with Herd's terminations: created workers start, then become ready on the
     * next settle; removed workers stop (terminating), exit on the next settle, then can be deleted.
     */
    static final class Simulation {
        /** {@code w} in another state, with another pid; everything else, its labels included, as it was. */
        private static ObservedWorker in(ObservedWorker w, ServiceState state, int pid) {
            return new ObservedWorker(w.name(), w.pool(), w.ordinal(), w.templateHash(), state, pid, false, w.after());
        }

        private final Map<String, ObservedWorker> workers = new HashMap<>();
        private final Set<String> foreign;
        private Terminations terminating;
        private int nextPid = 5000;
        /** Zinit 0.3.9's slot order, when simulated: a create appends, a delete moves the last service into the freed slot. */
        private final Optional<List<String>> slots;

        Simulation(List<ObservedWorker> initial, Set<String> foreign, Terminations terminating) {
            this(initial, foreign, terminating, false);
        }

        Simulation(List<ObservedWorker> initial, Set<String> foreign, Terminations terminating, boolean slotted) {
            initial.forEach(w -> workers.put(w.name(), w));
            this.foreign = Set.copyOf(foreign);
            this.terminating = terminating;
            List<String> order = new ArrayList<>(workers.keySet());
            order.addAll(foreign);
            order.sort(java.util.Comparator.comparingInt(n -> Integer.reverse(n.hashCode()))); // some order, not by name
            this.slots = slotted ? Optional.of(order) : Optional.empty();
        }

        /** The services in slot order that have no process, and the last one, for the checks. */
        List<String> slots() {
            return slots.map(List::copyOf).orElse(List.of());
        }

        boolean hasProcess(String service) {
            ObservedWorker w = workers.get(service);
            return w == null ? foreign.contains(service) : w.state().hasProcess() || w.pid() > 0;
        }

        Plan plan(List<DesiredPool> desired) {
            return Planner.plan(desired, observation(), terminating, Memory.empty(), NOW, POLICY);
        }

        Terminations terminating() {
            return terminating;
        }

        Observation observation() {
            return new Observation(new ArrayList<>(workers.values()), foreign, slots());
        }

        void apply(Plan plan, List<DesiredPool> desired) {
            applyWithoutSettling(plan, desired);
            settle();
        }

        void applyWithoutSettling(Plan plan, List<DesiredPool> desired) {
            for (Action a : plan.actions()) {
                assertThat(terminating.contains(a.worker()) && !(a instanceof Action.DeleteWorker || a instanceof Action.ReuseWorker))
                        .as("%s acts on terminating %s", a.getClass().getSimpleName(), a.worker()).isFalse();
                if (a instanceof Action.CreateWorker c) {
                    assertThat(workers).doesNotContainKey(c.worker());
                    DesiredPool pool = desired.stream().filter(p -> p.name().equals(c.pool())).findFirst().orElseThrow();
                    workers.put(c.worker(), new ObservedWorker(c.worker(), c.pool(), c.ordinal(), pool.templateHash(), ServiceState.STARTING,
                            nextPid++, false, pool.after()));
                    slots.ifPresent(order -> order.add(c.worker()));
                } else if (a instanceof Action.RemoveWorker r) {
                    ObservedWorker w = workers.get(r.worker());
                    assertThat(w).as("removed %s exists", r.worker()).isNotNull();
                    terminating = terminating.begun(new Terminating(w.name(), w.pool(), w.ordinal(), r.reason(), NOW,
                            NOW.plusSeconds(30), r.replace()));
                    workers.put(w.name(), in(w, w.state().hasProcess() ? ServiceState.STOPPING : w.state(), w.state().hasProcess() ? w.pid() : 0));
                } else if (a instanceof Action.DeleteWorker d) {
                    assertThat(terminating.of(d.worker())).as("deleted %s is terminating and exited", d.worker())
                            .hasValueSatisfying(t -> assertThat(t.exited()).isTrue());
                    slots.ifPresent(order -> {
                        int slot = order.indexOf(d.worker());
                        if (slot < 0) {
                            return; // not listed: Zinit moves nothing
                        }
                        String last = order.remove(order.size() - 1);
                        assertThat(last).as("deleting %s moves %s to another slot", d.worker(), last).isEqualTo(d.worker());
                    });
                    workers.remove(d.worker());
                    terminating = terminating.finished(d.worker());
                } else if (a instanceof Action.ReuseWorker) {
                    assertThat(terminating.of(a.worker())).as("reused %s is a removed worker whose process is gone", a.worker())
                            .hasValueSatisfying(t -> assertThat(t.exited()).isTrue());
                    terminating = terminating.finished(a.worker());
                    workers.computeIfPresent(a.worker(), (k, w) -> in(w, ServiceState.STARTING, nextPid++));
                } else if (a instanceof Action.StartWorker) {
                    workers.computeIfPresent(a.worker(), (k, w) -> in(w, ServiceState.STARTING, nextPid++));
                } else if (a instanceof Action.HoldWorker) {
                    workers.computeIfPresent(a.worker(), (k, w) -> in(w, ServiceState.INACTIVE, 0));
                }
            }
        }

        /**
         * Starting workers become ready, blocked ones get their dependencies, terminating ones exit;
         * true when any changed.
         */
        boolean settle() {
            List<Terminating> leaving = terminating.all().stream().filter(t -> !t.exited()).toList();
            for (Terminating t : leaving) {
                terminating = terminating.exited(t.worker(), NOW, "stopped");
                workers.computeIfPresent(t.worker(), (k, w) -> in(w, ServiceState.EXITED, 0));
            }
            boolean any = !leaving.isEmpty()
                    || workers.values().stream().anyMatch(w -> !terminating.contains(w.name())
                    && (w.state() == ServiceState.STARTING || w.state() == ServiceState.BLOCKED));
            workers.replaceAll((k, w) -> !terminating.contains(w.name())
                    && (w.state() == ServiceState.STARTING || w.state() == ServiceState.BLOCKED)
                    ? in(w, ServiceState.RUNNING, w.pid() > 0 ? w.pid() : nextPid++)
                    : w);
            return any;
        }
    }
}
