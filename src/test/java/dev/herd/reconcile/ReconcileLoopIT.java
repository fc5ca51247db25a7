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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop end to end against a real zinit-server running real processes. */
class ReconcileLoopIT {
    private static final Duration T = Duration.ofSeconds(45); // a removal Zinit 0.3.9 loses track of takes ~20 s (docs/zinit-protocol.md)
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
            List<ServiceStatus> sal = services("sal");
            maxSeen = Math.max(maxSeen, sal.size());
            if (sal.size() == 4 && sal.stream().allMatch(s -> s.state() == ServiceState.RUNNING && commandLine(s.pid()).contains("sleep 1001"))) {
                break;
            }
            sleep(20);
        }
        assertThat(maxSeen).as("services at once during the rollout").isLessThanOrEqualTo(5);
        await().atMost(T).until(() -> loop.snapshot().pools().get("sal").updatedReplicas() == 4);
        assertThat(services("sal")).allSatisfy(s -> assertThat(commandLine(s.pid())).contains("sleep 1001"));
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
        await().atMost(T).until(() -> services("v").isEmpty());
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

    @Test
    void holdsACrashLoopingWorkerBack() {
        desired.set(Map.of("bad", InMemoryDesired.Pool.of(1, "sh", "-c", "sleep 0.3; exit 3")));
        await().atMost(Duration.ofSeconds(40)).until(() -> loop.snapshot().pools().containsKey("bad")
                && loop.snapshot().pools().get("bad").condition(Condition.DEGRADED)
                && loop.snapshot().pools().get("bad").workers().stream().anyMatch(w -> w.phase().equals("CrashLoopBackOff")));
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
        await().atMost(T).until(() -> loop.events().recent().stream()
                .anyMatch(e -> e.worker().equals(last) && e.reason().equals("Removed") && e.message().contains("process is gone")));
        Map<String, Integer> again = awaitRunning("g", 2);
        assertThat(again.get(last)).isNotEqualTo(lostPid);
        assertThat(ProcessHandle.of(again.get(last))).isPresent();
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
}
