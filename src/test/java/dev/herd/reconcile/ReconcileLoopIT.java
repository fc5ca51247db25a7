package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop end to end against a real zinit-server running real processes. */
class ReconcileLoopIT {
    private static final Duration T = Duration.ofSeconds(45); // a removal Zinit 0.3.9 loses track of takes ~20 s (docs/zinit-protocol.md)
    @TempDir
    Path stamps;
    private PrivateZinit server;
    private ZinitClient zinit;
    private InMemoryDesired desired;
    private ReconcileLoop loop;

    @BeforeEach
    void start() {
        server = PrivateZinit.start(); // its own server: these tests restart and inspect it
        zinit = ZinitClients.connect(server.socket(), "v0.3", Duration.ofSeconds(5), JsonRpcTransport.Options.defaults());
        desired = new InMemoryDesired("it");
        loop = new ReconcileLoop(InMemoryDesired.settings("it"), zinit, desired, Clock.systemUTC());
        loop.start();
    }

    @AfterEach
    void stop() {
        loop.stop();
        zinit.close();
        server.close();
    }

    @Test
    void scalesZeroToFiveToTwoToZeroWithoutTouchingWorkersThatStay() {
        desired.set(Map.of("osis", InMemoryDesired.Pool.of(5, "sleep", "1000")));
        Map<String, Integer> five = awaitRunning("osis", 5);
        assertThat(five.keySet()).containsExactlyInAnyOrder("osis-0", "osis-1", "osis-2", "osis-3", "osis-4");

        desired.set(Map.of("osis", InMemoryDesired.Pool.of(2, "sleep", "1000")));
        Map<String, Integer> two = awaitRunning("osis", 2);
        assertThat(two).containsExactlyInAnyOrderEntriesOf(Map.of("osis-0", five.get("osis-0"), "osis-1", five.get("osis-1")));
        five.forEach((name, pid) -> {
            if (!two.containsKey(name)) {
                await().atMost(T).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            }
        });

        desired.set(Map.of("osis", InMemoryDesired.Pool.of(0, "sleep", "1000")));
        awaitRunning("osis", 0);
        await().atMost(T).until(() -> loop.snapshot().pools().get("osis").condition(Condition.READY));
        assertThat(loop.events().recent()).extracting(Event::reason).contains("Created", "Removed");
    }

    @Test
    void rollsOutATemplateChangeWithinItsBounds() {
        desired.set(Map.of("sal", new InMemoryDesired.Pool(4, List.of("sleep", "1000"), 1, 1, List.of())));
        awaitRunning("sal", 4);
        desired.set(Map.of("sal", new InMemoryDesired.Pool(4, List.of("sleep", "1001"), 1, 1, List.of())));
        int maxSeen = 0;
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            // the surge bounds processes; a removed worker's stopped service may stay a while (a parked delete)
            List<ServiceStatus> sal = services("sal").stream().filter(s -> s.state().hasProcess()).toList();
            maxSeen = Math.max(maxSeen, sal.size());
            if (sal.size() == 4 && sal.stream().allMatch(s -> s.state() == ServiceState.RUNNING && commandLine(s.pid()).contains("sleep 1001"))) {
                break;
            }
            sleep(20);
        }
        assertThat(maxSeen).as("workers with a process at once during the rollout").isLessThanOrEqualTo(5);
        await().atMost(T).until(() -> loop.snapshot().pools().get("sal").updatedReplicas() == 4);
        assertThat(services("sal")).filteredOn(s -> s.state().hasProcess()).hasSize(4)
                .allSatisfy(s -> assertThat(commandLine(s.pid())).contains("sleep 1001"));
        assertParkedOnlyBehindARunningService("sal");
    }

    /**
     * A removed worker's service still listed is stopped, and kept only because deleting it would
     * move the running service that ends Zinit's list to another slot.
     */
    private void assertParkedOnlyBehindARunningService(String pool) {
        await().atMost(T).until(() -> services(pool).stream().filter(s -> !s.state().hasProcess())
                .allMatch(s -> loop.snapshot().pools().values().stream().flatMap(p -> p.workers().stream())
                        .noneMatch(w -> w.name().equals(s.name()) && w.phase() != WorkerPhase.PARKED)));
        List<ServiceStatus> all = zinit.list().await().atMost(T);
        if (services(pool).stream().anyMatch(s -> !s.state().hasProcess())) {
            assertThat(all.get(all.size() - 1).state().hasProcess()).as("the last of %s has a process", all).isTrue();
        }
    }

    @Test
    void removesAPoolThatLeftTheDesiredStateAndLeavesForeignServicesAlone() {
        zinit.create(ServiceSpec.of("osis-1", new Command.Argv(List.of("sleep", "999")))).await().atMost(T);
        int foreignPid = awaitPid("osis-1");
        desired.set(Map.of("osis", InMemoryDesired.Pool.of(2, "sleep", "1000"), "v", InMemoryDesired.Pool.of(1, "sleep", "1000")));
        await().atMost(T).until(() -> loop.snapshot().pools().containsKey("osis")
                && loop.snapshot().pools().get("osis").readyReplicas() == 2 && loop.snapshot().pools().get("v").readyReplicas() == 1);
        assertThat(services("osis")).extracting(ServiceStatus::name).containsExactlyInAnyOrder("osis-0", "osis-1", "osis-2");
        assertThat(awaitPid("osis-1")).as("the foreign service's process").isEqualTo(foreignPid);
        PoolStatus osis = loop.snapshot().pools().get("osis");
        assertThat(osis.condition(Condition.CONFLICT)).isTrue();
        assertThat(osis.conditions()).filteredOn(c -> c.type().equals(Condition.CONFLICT))
                .first().extracting(Condition::message).asString().contains("osis-1");

        desired.set(Map.of("osis", InMemoryDesired.Pool.of(2, "sleep", "1000")));
        await().atMost(T).until(() -> services("v").stream().noneMatch(s -> s.state().hasProcess())
                && loop.events().recent().stream().anyMatch(e -> e.worker().equals("v-0") && Set.of("Removed", "Parked").contains(e.reason())));
        List<ServiceStatus> all = zinit.list().await().atMost(T);
        if (!services("v").isEmpty()) {
            assertThat(all.get(all.size() - 1).state().hasProcess()).as("v-0 parked behind a running service: %s", all).isTrue();
        }
        assertThat(awaitPid("osis-1")).isEqualTo(foreignPid);
    }

    @Test
    void recoversWhenZinitIsRestartedUnderIt() throws Exception {
        desired.set(Map.of("py", InMemoryDesired.Pool.of(2, "sleep", "1000")));
        awaitRunning("py", 2);
        server.stop();
        await().atMost(T).until(() -> loop.snapshot().zinitError().isPresent());
        server.launch();
        await().atMost(T).until(() -> loop.snapshot().zinitError().isEmpty());
        awaitRunning("py", 2);
        await().atMost(T).until(() -> loop.snapshot().pools().get("py").condition(Condition.READY));
    }

    /**
     * A removed worker whose service is parked (a running one comes after it in Zinit's list) is
     * started again by a restarted zinit-server, which starts every service it has a file for:
     * Herd stops it again, and the pool that stays is not touched.
     */
    @Test
    void aParkedWorkerThatZinitStartsAgainIsStoppedAgain() throws Exception {
        desired.set(Map.of("early", InMemoryDesired.Pool.of(2, "sleep", "1000")));
        awaitRunning("early", 2);
        desired.set(Map.of("early", InMemoryDesired.Pool.of(2, "sleep", "1000"), "late", InMemoryDesired.Pool.of(1, "sleep", "1000")));
        awaitRunning("late", 1);
        desired.set(Map.of("late", InMemoryDesired.Pool.of(1, "sleep", "1000")));
        await().atMost(T).until(() -> services("early").size() == 2 && services("early").stream().noneMatch(s -> s.state().hasProcess()));
        assertParkedOnlyBehindARunningService("early");

        server.stop();
        server.launch();
        // Zinit starts the parked services from their files; Herd stops them again
        await().atMost(T).until(() -> loop.events().recent().stream().filter(e -> e.pool().equals("early") && e.reason().equals("Removed"))
                .count() == 4 && services("early").stream().noneMatch(s -> s.state().hasProcess()) && running("late") == 1);
        assertParkedOnlyBehindARunningService("early");
    }

    private long running(String pool) {
        return services(pool).stream().filter(s -> s.state() == ServiceState.RUNNING && s.pid() > 0).count();
    }

    @Test
    void holdsACrashLoopingWorkerBack() {
        desired.set(Map.of("bad", InMemoryDesired.Pool.of(1, "sh", "-c", "sleep 0.3; exit 3")));
        await().atMost(Duration.ofSeconds(40)).until(() -> loop.snapshot().pools().containsKey("bad")
                && loop.snapshot().pools().get("bad").condition(Condition.DEGRADED)
                && loop.snapshot().pools().get("bad").workers().stream().anyMatch(w -> w.phase() == WorkerPhase.CRASH_LOOP_BACK_OFF));
        assertThat(loop.events().recent()).anyMatch(e -> e.reason().equals("CrashLoopBackOff") && e.worker().equals("bad-0"));
        // held: no process while the backoff lasts
        await().atMost(T).until(() -> services("bad").stream().noneMatch(s -> s.state().hasProcess()));
    }

    @Test
    void recreatesAWorkerWhoseExitZinitLost() {
        // Zinit 0.3.9: deleting a service that is not the last renumbers the last one, which then
        // loses its exit watcher. Arrange for a Herd worker to be that last one.
        zinit.create(ServiceSpec.of("first", new Command.Argv(List.of("sleep", "999")))).await().atMost(T);
        desired.set(Map.of("g", InMemoryDesired.Pool.of(2, "sleep", "1000")));
        Map<String, Integer> running = awaitRunning("g", 2);
        String last = zinit.list().await().atMost(T).get(2).name();
        zinit.delete("first").await().atMost(T);
        int lostPid = running.get(last);
        ProcessHandle.of(lostPid).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        // the lost worker now sits in the first slot, before a running one: its service is parked
        // (kept stopped, as deleting it would move that running worker), and a new worker takes its place
        await().atMost(T).until(() -> loop.events().recent().stream().anyMatch(e -> e.worker().equals(last)
                && Set.of("Parked", "Removed").contains(e.reason()) && e.message().contains("process is gone")));
        await().atMost(T).until(() -> loop.snapshot().pools().get("g").readyReplicas() == 2);
        List<Integer> pids = loop.snapshot().pools().get("g").workers().stream().filter(w -> w.phase() == WorkerPhase.READY)
                .map(w -> w.pid()).toList();
        assertThat(pids).hasSize(2).doesNotContain(lostPid).allMatch(pid -> ProcessHandle.of(pid).isPresent());
        assertParkedOnlyBehindARunningService("g");
    }

    @Test
    void aPoolWhoseWorkersCannotBeCreatedStaysDegradedWhileItBacksOff() {
        desired.set(Map.of("ghost", InMemoryDesired.Pool.of(1, "/nonexistent/herd-worker")));
        await().atMost(T).until(() -> loop.snapshot().pools().containsKey("ghost")
                && loop.snapshot().pools().get("ghost").condition(Condition.DEGRADED));
        // passes in between retries try nothing; they must neither end the backoff nor clear Degraded
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            PoolStatus ghost = loop.snapshot().pools().get("ghost");
            assertThat(ghost.condition(Condition.DEGRADED)).as("Degraded while backing off").isTrue();
            assertThat(ghost.observedGeneration()).isZero();
            sleep(20);
        }
        assertThat(loop.snapshot().pools().get("ghost").conditions()).filteredOn(c -> c.type().equals(Condition.DEGRADED))
                .first().extracting(Condition::message).asString().contains("ghost-0");
    }

    private Map<String, Integer> awaitRunning(String pool, int count) {
        Predicate<List<ServiceStatus>> done = l -> l.size() == count && l.stream().allMatch(s -> s.state() == ServiceState.RUNNING && s.pid() > 0);
        List<ServiceStatus> ok = await().atMost(T).until(() -> services(pool), done);
        return ok.stream().collect(Collectors.toMap(ServiceStatus::name, ServiceStatus::pid));
    }

    private int awaitPid(String name) {
        return await().atMost(T).until(() -> zinit.status(name).await().atMost(T).pid(), pid -> pid > 0);
    }

    private List<ServiceStatus> services(String pool) {
        return zinit.list().await().atMost(T).stream()
                .filter(s -> WorkerNames.ordinalIn(pool, s.name()).isPresent()).toList();
    }

    private static String commandLine(int pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, InMemoryDesired.Pool> pools(int db, int app) {
        return Map.of("db", pool(db, List.of()), "app", pool(app, List.of("db-0")));
    }

    /** Workers that note when they get their stop and when, a job in hand finished 300 ms later, they exit. */
    private InMemoryDesired.Pool pool(int replicas, List<String> after) {
        String script = "n=$HERD_POOL-$HERD_ORDINAL; trap 'date +%s%N > " + stamps + "/stop-$n; kill $!; sleep 0.3; date +%s%N > "
                + stamps + "/exit-$n; exit 0' TERM; sleep 1000 & wait";
        return new InMemoryDesired.Pool(replicas, List.of("sh", "-c", script), 1, 1, after);
    }

    /**
     * Stage order: a pool whose workers start {@code after} another pool's workers is created after
     * it, and removed before it: none of what it depends on is stopped before the last of its
     * workers has exited. Zinit lists services in creation order and the workers write when they
     * stop, so the order is read from Zinit and the processes, not only from Herd's event log. Both
     * ways to remove: both pools scaled to zero, and both pools gone from the desired state (their
     * order then known only from the workers' labels).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"scaled to zero", "no longer desired"})
    void dependentsAreCreatedAfterAndRemovedBeforeWhatTheyStartAfter(String removal) throws Exception {
        desired.set(pools(3, 3));
        await().atMost(T).until(() -> services("db").stream().filter(w -> w.state() == ServiceState.RUNNING).count() == 3
                && services("app").stream().filter(w -> w.state() == ServiceState.RUNNING).count() == 3);
        // Zinit lists services in creation order (its graph slots; nothing was deleted yet)
        assertThat(zinit.list().await().atMost(T)).extracting(s -> s.name().replaceAll("-\\d+$", ""))
                .as("Zinit's creation order").containsExactly("db", "db", "db", "app", "app", "app");
        List<String> created = await().atMost(T).until(() -> workers("Created"), l -> l.size() == 6);
        assertThat(created.subList(0, 3)).as("creation order").allMatch(w -> w.startsWith("db-"));
        assertThat(created.subList(3, 6)).allMatch(w -> w.startsWith("app-"));

        desired.set(removal.equals("scaled to zero") ? pools(0, 0) : Map.of());
        await().atMost(T).until(() -> zinit.list().await().atMost(T).isEmpty());
        Map<String, Long> stops = await().atMost(T).until(() -> stampFiles("stop-"), m -> m.size() == 6 && !m.containsValue(Long.MAX_VALUE));
        Map<String, Long> exits = await().atMost(T).until(() -> stampFiles("exit-"), m -> m.size() == 6 && !m.containsValue(Long.MAX_VALUE));
        assertThat(max(exits, "app")).as("last app worker finished (ns) before the first db worker was stopped")
                .isLessThan(min(stops, "db"));
        List<String> removed = await().atMost(T).until(() -> workers("Removed"), l -> l.size() == 6);
        assertThat(removed.subList(0, 3)).as("removal order").allMatch(w -> w.startsWith("app-"));
        assertThat(removed.subList(3, 6)).allMatch(w -> w.startsWith("db-"));
    }

    /** Workers named by the loop's events of this reason, in the order they were recorded. */
    private List<String> workers(String reason) {
        return loop.events().recent().stream().filter(e -> e.reason().equals(reason)).map(Event::worker).toList();
    }

    private Map<String, Long> stampFiles(String prefix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(stamps)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).collect(Collectors.toMap(
                    f -> f.getFileName().toString().substring(prefix.length()), ReconcileLoopIT::read));
        }
    }

    private static long read(Path f) {
        try {
            String s = Files.readString(f).strip();
            return s.isEmpty() ? Long.MAX_VALUE : Long.parseLong(s);
        } catch (java.io.IOException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long max(Map<String, Long> m, String pool) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(pool + "-")).mapToLong(Map.Entry::getValue).max().orElseThrow();
    }

    private static long min(Map<String, Long> m, String pool) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(pool + "-")).mapToLong(Map.Entry::getValue).min().orElseThrow();
    }
}
