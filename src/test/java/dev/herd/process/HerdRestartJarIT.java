package dev.herd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.reconcile.Ownership;
import dev.herd.testing.PrivateHerd;
import dev.herd.zinit.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Herd killed with SIGKILL in the middle of creating 50 workers, or while removing workers, then
 * started again: it converges to exactly the desired workers, with no duplicate and no orphan.
 */
class HerdRestartJarIT {
    @BeforeAll
    static void needsTheJar() {
        Assumptions.assumeTrue(dev.herd.testing.PrivateHerd.built(), "skipped: " + dev.herd.testing.PrivateHerd.jar()
                + " is missing; run ./mvnw verify (these run after package) or ./mvnw package -DskipTests first");
    }

    private static final int WORKERS = 50;

    @Test
    void convergesToExactlyTheDesiredWorkersAfterASigkillMidCreation() throws Exception {
        try (Rig rig = new Rig()) {
            rig.writePool("crash", WORKERS, "[\"sleep\", \"" + rig.sleepArg + "\"]", List.of());
            // one create at a time, so the kill lands in the middle of the pass rather than after it
            Map<String, String> slow = Map.of("herd.reconcile.parallelism", "1");
            PrivateHerd first = rig.herd(slow);
            long deadline = System.nanoTime() + Rig.T.toNanos();
            while (tomls(rig.zinit.configDir()) < 10) {
                assertThat(System.nanoTime()).as("10 services created within %s:%n%s", Rig.T, first.log()).isLessThan(deadline);
                assertThat(first.isAlive()).as("Herd died:%n%s", first.log()).isTrue();
                Thread.sleep(2);
            }
            first.kill();
            int atKill = rig.client.list().await().atMost(Rig.T).size();
            assertThat(atKill).as("services when Herd was killed: in the middle of creating %d", WORKERS)
                    .isBetween(10, WORKERS - 1);
            System.out.printf("Herd killed with %d of %d services created%n", atKill, WORKERS);

            rig.herd(Map.of()).awaitUp(Rig.T);
            List<ServiceStatus> services = rig.awaitRunning("crash", WORKERS);

            Set<String> expected = IntStream.range(0, WORKERS).mapToObj(i -> "crash-" + i).collect(Collectors.toSet());
            assertThat(rig.client.list().await().atMost(Rig.T)).extracting(ServiceStatus::name)
                    .as("every service in Zinit, no stray one").containsExactlyInAnyOrderElementsOf(expected);
            String hash = null;
            for (ServiceStatus s : services) {
                Map<String, String> env = rig.client.env(s.name()).await().atMost(Rig.T);
                assertThat(env).containsEntry(Ownership.OWNER, rig.controllerId).containsEntry(Ownership.POOL, "crash")
                        .containsEntry(Ownership.ORDINAL, s.name().substring("crash-".length()));
                hash = hash == null ? env.get(Ownership.TEMPLATE_HASH) : hash;
                assertThat(env.get(Ownership.TEMPLATE_HASH)).as("template of %s", s.name()).isEqualTo(hash);
            }
            // exactly one worker process per service, and none outside a service
            List<ProcessHandle> sleeps = rig.sleeps();
            Map<String, Long> perService = new HashMap<>();
            for (ProcessHandle p : sleeps) {
                String owner = services.stream().filter(s -> s.pid() == p.pid() || ancestors(p).anyMatch(a -> a == s.pid()))
                        .map(ServiceStatus::name).findFirst().orElse("(orphan pid " + p.pid() + ")");
                perService.merge(owner, 1L, Long::sum);
            }
            assertThat(perService).as("worker processes by service").hasSize(WORKERS).allSatisfy((name, n) -> {
                assertThat(expected).contains(name);
                assertThat(n).as("processes of %s", name).isEqualTo(1L);
            });

            rig.shutdown();
            assertThat(rig.pgrep()).as("processes left after the test").isEmpty();
        }
    }

    /**
     * Herd killed while two workers it is removing still finish (each takes 3 s after its stop
     * signal): the next Herd finds them stopping or stopped, owned and not wanted, and finishes
     * their removal; the worker that stays is not touched.
     */
    @Test
    void aHerdKilledWhileWorkersTerminateFinishesTheirRemovalAfterRestart() throws Exception {
        try (Rig rig = new Rig()) {
            // the stop is ignored once caught (by the shell and the sleep it starts): Herd sends a second
            // one to the group, and the 3 s must hold against it too
            String exec = "[\"sh\", \"-c\", \"trap 'trap \\\"\\\" TERM; sleep 3; exit 0' TERM; sleep " + rig.sleepArg + " & wait\"]";
            rig.writePool("slow", 3, exec, List.of());
            PrivateHerd first = rig.herd(Map.of()).awaitUp(Rig.T);
            Map<String, Integer> before = rig.awaitRunning("slow", 3).stream()
                    .collect(Collectors.toMap(ServiceStatus::name, ServiceStatus::pid));
            rig.writePool("slow", 1, exec, List.of());
            await().atMost(Rig.T).pollInterval(java.time.Duration.ofMillis(20)).until(() -> rig.services("slow").stream()
                    .filter(s -> s.state() != dev.herd.zinit.ServiceState.RUNNING).count() == 2);
            first.kill();
            assertThat(rig.services("slow")).as("the two being removed are still in Zinit when Herd dies").hasSize(3);

            rig.herd(Map.of()).awaitUp(Rig.T);
            List<ServiceStatus> left = rig.awaitRunning("slow", 1);
            assertThat(left).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("slow-0");
                assertThat(s.pid()).as("the worker that stays was not restarted").isEqualTo(before.get("slow-0"));
            });
            await().atMost(Rig.T).until(() -> rig.sleeps().size() == 1);

            rig.shutdown();
            assertThat(rig.pgrep()).as("processes left after the test").isEmpty();
        }
    }

    /**
     * An autoscaled pool the scaler has grown past the file's count: a Herd started again keeps its
     * workers (same pids) until its scaler has read the queue, rather than shrinking the pool to the
     * file's count first and growing it again.
     */
    @Test
    void aRestartedHerdKeepsTheWorkersOfAScaledPool() throws Exception {
        try (Rig rig = new Rig()) {
            Files.writeString(rig.desired().resolve("held.yaml"), """
                    apiVersion: herd/v1
                    kind: WorkerPool
                    metadata:
                      name: held
                    spec:
                      replicas: 1
                      template:
                        exec: ["sleep", "%s"]
                        shutdownTimeout: 5s
                      autoscaling:
                        minReplicas: 1
                        maxReplicas: 6
                        targetQueueLengthPerReplica: 5
                    """.formatted(rig.sleepArg));
            // 20 jobs nobody takes (the workers only sleep): the scaler wants 4 and keeps wanting 4
            String[] push = Stream.concat(Stream.of("redis-cli", "-p", Integer.toString(rig.redis.port()), "LPUSH", "hero:work_queue:held"),
                    IntStream.range(0, 20).mapToObj(i -> "job-" + i)).toArray(String[]::new);
            assertThat(new ProcessBuilder(push).redirectErrorStream(true).start().waitFor()).isZero();
            PrivateHerd first = rig.herd(Map.of()).awaitUp(Rig.T);
            Map<String, Integer> before = rig.awaitRunning("held", 4).stream()
                    .collect(Collectors.toMap(ServiceStatus::name, ServiceStatus::pid));
            first.kill();

            rig.herd(Map.of()).awaitUp(Rig.T);
            // several passes and scaler ticks
            long until = System.nanoTime() + java.time.Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < until) {
                assertThat(rig.services("held")).as("the pool's services after Herd started again")
                        .allSatisfy(s -> assertThat(s.state()).isEqualTo(dev.herd.zinit.ServiceState.RUNNING))
                        .extracting(ServiceStatus::name, ServiceStatus::pid)
                        .containsExactlyInAnyOrderElementsOf(before.entrySet().stream()
                                .map(e -> org.assertj.core.groups.Tuple.tuple(e.getKey(), e.getValue())).toList());
                Thread.sleep(100);
            }
            rig.shutdown();
            assertThat(rig.pgrep()).as("processes left after the test").isEmpty();
        }
    }

    private static long tomls(Path configDir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(configDir)) {
            return files.filter(f -> f.toString().endsWith(".toml")).count();
        }
    }

    private static Stream<Long> ancestors(ProcessHandle p) {
        return Stream.iterate(p.parent(), java.util.Optional::isPresent, o -> o.get().parent()).map(o -> o.get().pid());
    }
}
