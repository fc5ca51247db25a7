package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.fake.FakeZinitV02Server;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile loop end to end on the threefoldtech Zinit 0.2 dialect, against the in-repo fake
 * of that server (it cannot be built here; the fake runs real processes and follows the dialect's
 * spec, see docs/zinit-dialects.md): create, scale, roll out, restart, remove; and what it does on
 * the legacy line protocol, which cannot create.
 */
class ReconcileLoopV02IT {
    private static final Duration T = Duration.ofSeconds(30);
    private FakeZinitV02Server server;
    private ZinitClient zinit;
    private InMemoryDesired desired;
    private ReconcileLoop loop;

    @BeforeEach
    void start() {
        server = FakeZinitV02Server.start(Duration.ofMillis(200));
        zinit = ZinitClients.connect(server.socket(), "v0.2", Duration.ofSeconds(5), JsonRpcTransport.Options.defaults());
        desired = new InMemoryDesired("v02");
        loop = new ReconcileLoop(InMemoryDesired.settings("v02"), zinit, desired, Clock.systemUTC());
        loop.start();
    }

    @AfterEach
    void stop() {
        loop.stop();
        zinit.close();
        server.close();
    }

    @Test
    void createsScalesRollsOutRestartsAndRemovesAPool() throws Exception {
        desired.set(Map.of("osis", InMemoryDesired.Pool.of(3, "sleep", "1000")));
        Map<String, Integer> three = awaitRunning("osis", 3);
        await().atMost(T).until(() -> loop.snapshot().pools().get("osis").readyReplicas() == 3);

        desired.set(Map.of("osis", InMemoryDesired.Pool.of(1, "sleep", "1000")));
        Map<String, Integer> one = awaitRunning("osis", 1);
        String stayed = one.keySet().iterator().next();
        assertThat(one.get(stayed)).as("the worker that stays keeps its process").isEqualTo(three.get(stayed));
        assertThat(loop.events().recent()).anyMatch(e -> e.reason().equals("Removed"));

        desired.set(Map.of("osis", new InMemoryDesired.Pool(2, List.of("sleep", "1001"), 1, 1, List.of())));
        Map<String, Integer> rolled = await().atMost(T).until(() -> running("osis"),
                m -> m.size() == 2 && m.values().stream().allMatch(pid -> commandLine(pid).contains("sleep 1001")));
        await().atMost(T).until(() -> loop.snapshot().pools().get("osis").updatedReplicas() == 2
                && loop.snapshot().pools().get("osis").readyReplicas() == 2);

        String worker = rolled.keySet().iterator().next();
        loop.requestRestart(new RestartRequest("osis", worker, "test: restart one worker"));
        await().atMost(T).until(() -> running("osis").getOrDefault(worker, rolled.get(worker)) != rolled.get(worker).intValue()
                && running("osis").size() == 2);
        assertThat(ProcessHandle.of(rolled.get(worker))).as("the restarted worker's old process").isEmpty();
        assertThat(loop.events().recent()).anyMatch(e -> e.reason().equals("Restarted") && e.worker().equals(worker));

        desired.set(Map.of());
        await().atMost(T).until(() -> services("osis").isEmpty());
        rolled.values().forEach(pid -> assertThat(ProcessHandle.of(pid)).isEmpty());
    }

    /**
     * The legacy line protocol has no create, and no way to read a service's environment (where
     * the ownership labels are): the loop can only report that, on the pool, in words.
     */
    @Test
    void onTheLegacyProtocolAPoolIsDegradedWithTheReason() {
        try (var legacy = dev.herd.zinit.fake.FakeLegacyZinitServer.start(Duration.ofMillis(200));
             ZinitClient client = ZinitClients.connect(legacy.socket(), "legacy", Duration.ofSeconds(5), JsonRpcTransport.Options.defaults())) {
            InMemoryDesired pools = new InMemoryDesired("legacy");
            ReconcileLoop legacyLoop = new ReconcileLoop(InMemoryDesired.settings("legacy"), client, pools, Clock.systemUTC());
            legacyLoop.start();
            try {
                pools.set(Map.of("osis", InMemoryDesired.Pool.of(1, "sleep", "1000")));
                await().atMost(T).until(() -> legacyLoop.snapshot().pools().containsKey("osis")
                        && legacyLoop.snapshot().pools().get("osis").condition(Condition.DEGRADED));
                assertThat(legacyLoop.snapshot().pools().get("osis").conditions()).filteredOn(c -> c.type().equals(Condition.DEGRADED))
                        .first().extracting(Condition::message).asString().contains("legacy");
            } finally {
                legacyLoop.stop();
            }
        }
    }

    private Map<String, Integer> awaitRunning(String pool, int count) {
        return await().atMost(T).until(() -> running(pool), m -> m.size() == count && services(pool).size() == count);
    }

    /** The pool's services that run, with their pids. */
    private Map<String, Integer> running(String pool) {
        return services(pool).stream().filter(s -> s.state() == ServiceState.RUNNING && s.pid() > 0)
                .collect(Collectors.toMap(ServiceStatus::name, ServiceStatus::pid));
    }

    private List<ServiceStatus> services(String pool) {
        return zinit.list().await().atMost(T).stream().filter(s -> s.name().startsWith(pool + "-")).toList();
    }

    private static String commandLine(int pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
