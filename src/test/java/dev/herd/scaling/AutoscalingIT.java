package dev.herd.scaling;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.herd.jobs.Job;
import dev.herd.jobs.JobRequest;
import dev.herd.jobs.JobService;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.testing.PrivateServers;
import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling end to end: the whole application with the real zinit-server, redis-server and
 * reference workers. The pools use short windows and cooldowns so the stages take seconds.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
@TestProfile(AutoscalingIT.SlowDeletes.class)
class AutoscalingIT {
    /**
     * Zinit 0.3.9 answers service.delete of a still-running service only after its 5 s stop poll
     * (docs/zinit-protocol.md): above the default 5 s call timeout, so removals can fail and be
     * retried. Scale-in removes many workers, so this test gives Zinit calls 10 s.
     */
    public static class SlowDeletes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herd.zinit.call-timeout", "10s");
        }
    }

    private static final Path DIR = PrivateServers.desiredStateDir();
    private static final List<String> FILES = List.of("scale-burst.yaml", "scale-busy.yaml", "scale-osc.yaml", "scale-side.yaml");

    @Inject
    JobService jobs;
    @Inject
    ReconcileLoop loop;
    @Inject
    Autoscaler scaler;
    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void writePools() throws Exception {
        Files.writeString(DIR.resolve("scale-burst.yaml"), pool("sburst", """
                    minReplicas: 0
                    maxReplicas: 10
                    targetQueueLengthPerReplica: 5
                    cooldown: 3s
                    scaleDownStabilization: 2s
                """, "5s"));
        Files.writeString(DIR.resolve("scale-busy.yaml"), pool("sbusy", """
                    minReplicas: 0
                    maxReplicas: 4
                    targetQueueLengthPerReplica: 1
                    cooldown: 2s
                    scaleDownStabilization: 0s
                """, "30s"));
        // workers that never take a job: the queue depth is exactly what the test pushes
        Files.writeString(DIR.resolve("scale-osc.yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: sosc
                spec:
                  template:
                    exec: ["sleep", "3600"]
                    shutdownTimeout: 2s
                  autoscaling:
                    minReplicas: 0
                    maxReplicas: 10
                    targetQueueLengthPerReplica: 2
                    cooldown: 30s
                    scaleDownStabilization: 6s
                """);
        // a fixed pool at zero, scaled by hand while another pool's workers are being removed
        Files.writeString(DIR.resolve("scale-side.yaml"), """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: sside
                spec:
                  replicas: 0
                  template:
                    exec: ["sleep", "3600"]
                    shutdownTimeout: 2s
                """);
    }

    private static String pool(String name, String autoscaling, String shutdownTimeout) {
        return """
                apiVersion: herd/v1
                kind: WorkerPool
                metadata:
                  name: %s
                spec:
                  template:
                    exec: %s
                    shutdownTimeout: %s
                  autoscaling:
                %s""".formatted(name, HeroPools.EXEC, shutdownTimeout, autoscaling);
    }

    @AfterAll
    static void removePools() throws Exception {
        for (String f : FILES) {
            Files.deleteIfExists(DIR.resolve(f));
        }
        HeroPools.awaitGone(List.of("sburst", "sbusy", "sosc", "sside"));
    }

    /**
     * Each test starts from a settled fleet: no override left by another test, and no worker of
     * another test still terminating (its stop, SIGKILL or delete would land in this one's timing).
     */
    @BeforeEach
    void settle() {
        for (String pool : List.of("sbusy", "sside")) {
            given().delete("/api/v1/pools/" + pool + "/scale").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(90)).alias("no worker of this class terminating; loop: " + loop.snapshot())
                .until(() -> List.of("sburst", "sbusy", "sosc", "sside").stream().allMatch(p -> terminating(p).isEmpty()));
    }

    @Test
    void aBurstOf500JobsScalesUpRunsEveryJobOnceAndReturnsToZero() throws Exception {
        awaitPool("sburst", 0);
        Path done = Files.createTempFile("herd-burst-", ".log");
        Instant burst = Instant.now();
        // the peak is sampled from the first push on: with the keyspace wake-up the pool can reach it,
        // and start shrinking, while the jobs are still being submitted
        AtomicInteger most = new AtomicInteger();
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> most.accumulateAndGet(workers("sburst"), Math::max), 0, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
        List<String> ids = Multi.createFrom().range(0, 500)
                .onItem().transformToUni(i -> jobs.submit(JobRequest.builder().pool("sburst")
                        .script("echo \"$HERD_JOB_ID\" >> " + done).timeout(Duration.ofSeconds(30)).build()))
                .merge(4).collect().asList().await().atMost(Duration.ofSeconds(60)); // within the client pool's wait queue
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            List<String> ran = Files.readAllLines(done);
            assertThat(ran).as(() -> {
                List<String> missing = ids.stream().filter(id -> !ran.contains(id)).toList();
                // the first few in detail: each costs Redis round trips, and the condition is polled
                return missing.size() + " jobs did not run, e.g. " + missing.stream().limit(5)
                        .map(id -> job(id).map(j -> id + " " + j.fields()).orElse(id + " (gone)") + " in lists " + listsHolding(id))
                        .toList();
            }).hasSize(500);
        });
        sampler.shutdownNow();
        assertThat(most.get()).as("workers at the peak").isBetween(2, 10);
        Map<String, Integer> seen = new HashMap<>();
        Files.readAllLines(done).forEach(id -> seen.merge(id, 1, Integer::sum));
        assertThat(seen).as("every job ran exactly once").hasSize(500).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        // a worker writes the result after the script: give the last ones a moment
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ids).allSatisfy(id ->
                assertThat(job(id).map(Job::status)).as("job %s", id).contains(Job.FINISHED)));
        Instant allDone = Instant.now();
        awaitPool("sburst", 0);
        // the last job left its worker's hand when its result was written: the cooldown runs from then at the earliest
        Instant lastFinished = ids.stream().map(id -> Instant.parse(job(id).orElseThrow().fields().get("updated_at")))
                .max(Instant::compareTo).orElseThrow();
        assertThat(events("sburst", "Scaled")).anySatisfy(e -> assertThat(e.message()).startsWith("0 -> ").contains("queued="));
        assertThat(events("sburst", "Scaled")).last().satisfies(e -> {
            assertThat(e.message()).contains("-> 0:");
            assertThat(e.time()).as("back to zero after the 3s cooldown").isAfterOrEqualTo(lastFinished.plusSeconds(3));
        });
        System.out.printf("burst: %d workers at the peak, 500 jobs in %d ms%n", most.get(), Duration.between(burst, allDone).toMillis());
    }

    @Test
    void scaleInWhileWorkersAreBusyInterruptsNoJob() {
        awaitPool("sbusy", 0);
        Instant start = Instant.now();
        // two short jobs and two long ones: once the short ones are done, the idle workers go first
        // the short ones outlast the scaler's first full reading (a push wakes it at once), so all four count
        List<String> shortJobs = submit("sbusy", "sleep 3; echo short", 2);
        List<String> longJobs = submit("sbusy", "sleep 12; echo long", 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> workers("sbusy") == 4);
        await().atMost(Duration.ofSeconds(20)).until(() -> allDone(shortJobs));
        Map<String, String> longWorkers = new HashMap<>();
        for (String id : longJobs) {
            longWorkers.put(job(id).get().workerId(), id);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> workers("sbusy") == 2);
        assertThat(allDone(longJobs)).as("the long jobs are still running").isFalse();
        List<String> removed = await().atMost(Duration.ofSeconds(20))
                .until(() -> events("sbusy", "Removed").stream().filter(e -> e.time().isAfter(start)).map(Event::worker).toList(),
                        l -> l.size() >= 2);
        assertThat(removed).as("idle workers removed, busy ones kept").hasSize(2).doesNotContainAnyElementsOf(longWorkers.keySet());
        await().atMost(Duration.ofSeconds(20)).until(() -> allDone(longJobs));

        for (String id : concat(shortJobs, longJobs)) {
            assertThat(job(id).orElseThrow().status()).as("job %s", id).isEqualTo(Job.FINISHED);
        }
        // the manual override: visible in status, refused when out of range
        given().contentType("application/json").body("{\"replicas\": 0, \"ttl\": \"1m\"}").put("/api/v1/pools/sbusy/scale")
                .then().statusCode(200).body("desiredReplicas", equalTo(0)).body("override.replicas", equalTo(0));
        awaitPool("sbusy", 0);
        given().delete("/api/v1/pools/sbusy/scale").then().statusCode(200).body("override", equalTo(null));
        given().contentType("application/json").body("{\"replicas\": -1}").put("/api/v1/pools/sbusy/scale").then().statusCode(400);
    }

    /**
     * Workers removed in the middle of their jobs (manual override to 0) each finish the job in hand,
     * and while they do, the reconcile loop goes on: another pool scales up and is Ready before the
     * first removal has finished.
     */
    @Test
    void workersRemovedMidJobFinishTheJobInHandWhileOtherPoolsConverge() {
        awaitPool("sbusy", 0);
        List<String> inHand = submit("sbusy", "sleep 8; echo finished-in-hand", 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> inHand.stream().allMatch(id -> job(id).map(j -> "started".equals(j.status())).orElse(false)));
        Map<String, String> holders = new HashMap<>();
        inHand.forEach(id -> holders.put(job(id).orElseThrow().workerId(), id));
        Instant removal = Instant.now();
        given().contentType("application/json").body("{\"replicas\": 0, \"ttl\": \"1m\"}").put("/api/v1/pools/sbusy/scale")
                .then().statusCode(200).body("desiredReplicas", equalTo(0)).body("override.replicas", equalTo(0));
        await().atMost(Duration.ofSeconds(10)).alias("busy workers terminating; loop: " + loop.snapshot())
                .until(() -> terminating("sbusy").size() == 3);
        assertThat(terminating("sbusy")).containsExactlyInAnyOrderElementsOf(holders.keySet());
        assertThat(workers("sbusy")).as("terminating workers are not the pool's any more").isZero();

        // another pool converges while the three are still finishing their jobs
        given().contentType("application/json").body("{\"replicas\": 2, \"ttl\": \"1m\"}").put("/api/v1/pools/sside/scale")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> ready("sside") == 2);
        assertThat(terminating("sbusy")).as("sside converged while sbusy's workers were terminating").hasSize(3);
        assertThat(events("sbusy", "Removed")).filteredOn(e -> e.time().isAfter(removal)).isEmpty();
        assertThat(allDone(inHand)).as("the jobs in hand are still running").isFalse();

        await().atMost(Duration.ofSeconds(40)).alias("in-hand jobs done and pool at zero; loop: " + loop.snapshot())
                .until(() -> allDone(inHand) && workers("sbusy") == 0 && terminating("sbusy").isEmpty());
        for (String id : inHand) {
            assertThat(job(id).orElseThrow().status()).as("job %s", id).isEqualTo(Job.FINISHED);
            assertThat(job(id).orElseThrow().output()).isEqualTo("finished-in-hand");
        }
        List<Event> after = loop.events().recent().stream().filter(e -> e.pool().equals("sbusy") && e.time().isAfter(removal)).toList();
        assertThat(after).filteredOn(e -> e.reason().equals("Terminating")).extracting(Event::worker)
                .containsExactlyInAnyOrderElementsOf(holders.keySet());
        assertThat(after).filteredOn(e -> e.reason().equals("Removed")).extracting(Event::worker)
                .containsExactlyInAnyOrderElementsOf(holders.keySet())
                .hasSize(3); // each removed once
        given().delete("/api/v1/pools/sbusy/scale").then().statusCode(200).body("override", equalTo(null));
        given().delete("/api/v1/pools/sside/scale").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> workers("sside") == 0 && terminating("sside").isEmpty());
    }

    @Test
    void anOscillatingLoadChangesReplicasOnlyAsTheWindowsAllow() throws Exception {
        awaitPool("sosc", 0);
        String queue = jobs.keys().workQueue("sosc");
        // 9 queued asks for 5 workers, 3 for 2: swing between them every 1.5 s, well inside the 6 s down window
        Instant start = Instant.now();
        Instant lastHigh = start;
        for (int round = 0; round < 8; round++) {
            Instant roundStart = Instant.now();
            boolean high = round % 2 == 0;
            setDepth(queue, high ? 9 : 3);
            if (high) {
                // a reading of this round's depth, so one high reading comes after lastHigh however the ticks fall
                lastHigh = roundStart;
                await().atMost(Duration.ofSeconds(5)).until(() -> scaler.status("sosc").map(st -> st.queued() == 9).orElse(false));
            }
            Thread.sleep(Math.max(0, 1500 - Duration.between(roundStart, Instant.now()).toMillis()));
        }
        List<Event> during = events("sosc", "Scaled").stream().filter(e -> !e.time().isBefore(start)).toList();
        assertThat(during).as("one scale-up, no scale-down while oscillating: " + during).hasSize(1);
        assertThat(during.get(0).message()).startsWith("0 -> 5:");
        assertThat(workers("sosc")).isEqualTo(5);
        // the swing ends low: down to 2 once the 6 s window has only low recommendations
        setDepth(queue, 3);
        await().atMost(Duration.ofSeconds(15)).until(() -> scaler.replicas("sosc", -1) == 2);
        Event down = events("sosc", "Scaled").get(events("sosc", "Scaled").size() - 1);
        assertThat(down.message()).startsWith("5 -> 2:");
        // the last high reading came after the depth was last set high: the window keeps it 6 s from then
        assertThat(down.time()).as("scale-down after the window").isAfterOrEqualTo(lastHigh.plusSeconds(6));
        redis.key().del(queue);
    }

    /** Every Redis list holding {@code id}: where a job that did not run is stuck. */
    private List<String> listsHolding(String id) {
        return redis.key().keys("*").stream()
                .filter(k -> redis.key().type(k) == io.quarkus.redis.datasource.keys.RedisValueType.LIST)
                .filter(k -> redis.list(String.class).lrange(k, 0, -1).contains(id)).toList();
    }

    private void setDepth(String queue, int depth) {
        redis.key().del(queue);
        // one push: a wake-up must not read a queue half filled
        redis.list(String.class).lpush(queue, IntStream.range(0, depth).mapToObj(i -> "fake-" + i).toArray(String[]::new));
    }

    private List<String> submit(String pool, String script, int n) {
        return IntStream.range(0, n).mapToObj(i -> jobs.submit(JobRequest.builder().pool(pool).script(script)
                .timeout(Duration.ofSeconds(60)).build()).await().atMost(Duration.ofSeconds(5))).toList();
    }

    private Optional<Job> job(String id) {
        return jobs.get(id).await().atMost(Duration.ofSeconds(5));
    }

    private boolean allDone(List<String> ids) {
        return ids.stream().allMatch(id -> job(id).map(Job::done).orElse(false));
    }

    private int workers(String pool) {
        PoolStatus s = loop.snapshot().pools().get(pool);
        return s == null ? -1 : s.currentReplicas();
    }

    private int ready(String pool) {
        PoolStatus s = loop.snapshot().pools().get(pool);
        return s == null ? -1 : s.readyReplicas();
    }

    private List<String> terminating(String pool) {
        PoolStatus s = loop.snapshot().pools().get(pool);
        return s == null ? List.of() : s.workers().stream().filter(w -> w.phase() == dev.herd.reconcile.WorkerPhase.TERMINATING).map(w -> w.name()).toList();
    }

    private void awaitPool(String pool, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> workers(pool) == count
                && scaler.replicas(pool, -1) == count);
    }

    private List<Event> events(String pool, String reason) {
        return loop.events().recent().stream().filter(e -> e.pool().equals(pool) && e.reason().equals(reason)).toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }
}
