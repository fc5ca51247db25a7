package dev.herd.jobs;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateServersResource;
import dev.herd.testing.HeroPools;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code spec.queue: worker}: Herd hands each job to the least loaded ready worker's own queue. */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class WorkerQueueIT {
    private static final String POOL = "direct";

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void writePool() {
        HeroPools.write(POOL, 2, "queue: worker\n");
    }

    @AfterAll
    static void removePool() {
        HeroPools.remove(POOL);
        HeroPools.awaitGone(java.util.List.of(POOL));
    }

    @Test
    void jobsGoToTheWorkersOwnQueuesOneEach() throws Exception {
        HeroPools.awaitReady(POOL, 2);
        List<Integer> pids = given().get("/api/v1/pools/" + POOL).then().extract().path("workers.pid");
        // freeze both workers, so what each job's queue is can be seen before anyone takes it
        signal("-STOP", pids);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                ids.add(given().contentType("application/json").body("{\"pool\":\"" + POOL + "\",\"script\":\"echo $HERD_WORKER_ID\"}")
                        .post("/api/v1/jobs").then().statusCode(201).extract().path("id"));
            }
            assertThat(redis.list(String.class).llen("hero:work_queue:" + POOL)).as("the shared pool queue").isZero();
            // each job in its worker's own queue, or already in its processing list: a worker blocked
            // on its own queue is handed the job by Redis even while frozen
            for (String worker : List.of("direct-0", "direct-1")) {
                List<String> held = new ArrayList<>(redis.list(String.class).lrange("hero:work_queue:" + worker, 0, -1));
                held.addAll(redis.list(String.class).lrange("herd:processing:" + worker, 0, -1));
                assertThat(held).as("jobs held for %s", worker).hasSize(1);
            }
        } finally {
            signal("-CONT", pids);
        }
        List<String> ran = new ArrayList<>();
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "finished".equals(redis.hash(String.class).hget("hero:job:" + id, "status")));
            ran.add(redis.hash(String.class).hget("hero:job:" + id, "worker_id"));
        }
        assertThat(ran).containsExactlyInAnyOrder("direct-0", "direct-1");
    }

    /** Signals each worker's whole process group (Zinit starts every service as a group leader). */
    private static void signal(String sig, List<Integer> pids) throws Exception {
        for (int pid : pids) {
            new ProcessBuilder("kill", sig, "--", "-" + pid).inheritIO().start().waitFor();
        }
    }
}
