package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.introspect.WorkerUsageSampler;
import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two sources of a worker's CPU and memory, side by side on one real worker under the real
 * zinit-server 0.3.9: this host's /proc (the whole process group) and Zinit's own stats (the
 * tracked process only, CPU always 0), as docs/workers.md says.
 */
class WorkerUsageSourcesIT {
    private static final Duration T = Duration.ofSeconds(45);

    @Test
    void procSeesTheWholeGroupAndZinitOnlyTheTrackedProcessWithoutCpu() {
        try (PrivateZinit server = PrivateZinit.start();
             ZinitClient zinit = ZinitClients.connect(server.socket(), "v0.3", Duration.ofSeconds(5), JsonRpcTransport.Options.defaults())) {
            InMemoryDesired desired = new InMemoryDesired("usage");
            ReconcileLoop loop = new ReconcileLoop(InMemoryDesired.settings("usage"), zinit, desired, Clock.systemUTC());
            loop.start();
            try {
                // a worker with a child that holds 60 MB: the group is the sh Zinit tracks, bash, and python
                desired.set(Map.of("mem", InMemoryDesired.Pool.of(1, "bash", "-c",
                        "/usr/bin/python3 -c 'b = bytearray(60 * 1024 * 1024); import time; time.sleep(1000)' & wait")));
                compare(loop, zinit);
            } finally {
                loop.stop();
            }
        }
    }

    private static void compare(ReconcileLoop loop, ZinitClient zinit) {
        WorkerUsageSampler proc = new WorkerUsageSampler(loop, zinit, new WorkerUsageSampler.Settings(Duration.ofSeconds(1), true, Duration.ofSeconds(5)));
        WorkerUsageSampler fromZinit = new WorkerUsageSampler(loop, zinit, new WorkerUsageSampler.Settings(Duration.ofSeconds(1), false, Duration.ofSeconds(5)));
        await().atMost(T).until(() -> {
            proc.sample();
            return worker(loop).flatMap(proc::usage).map(u -> u.memoryBytes() > 60L * 1024 * 1024).orElse(false);
        });
        fromZinit.sample();
        WorkerStatus w = worker(loop).orElseThrow();
        ResourceUsage group = proc.usage(w).orElseThrow();
        ResourceUsage tracked = fromZinit.usage(w).orElseThrow();

        assertThat(group.source()).isEqualTo("proc");
        assertThat(group.processes()).isGreaterThanOrEqualTo(3);
        assertThat(tracked.source()).isEqualTo("zinit");
        assertThat(tracked.processes()).isEqualTo(1);
        assertThat(tracked.cpuPercent()).as("zinit 0.3.9 hard-codes cpu_percent").isZero();
        assertThat(tracked.memoryBytes()).as("the sh wrapper alone").isPositive().isLessThan(20L * 1024 * 1024);
        assertThat(proc.pools().get("mem").memoryBytes()).isEqualTo(group.memoryBytes());
    }

    private static java.util.Optional<WorkerStatus> worker(ReconcileLoop loop) {
        PoolStatus pool = loop.snapshot().pools().get("mem");
        return pool == null ? java.util.Optional.empty() : pool.workers().stream().filter(x -> x.pid() > 0).findFirst();
    }
}
