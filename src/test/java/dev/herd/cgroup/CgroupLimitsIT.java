package dev.herd.cgroup;

import static dev.herd.testing.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import dev.herd.testing.HeroPools;
import dev.herd.testing.PrivateServers;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Memory, CPU and process limits enforced by the kernel's cgroups on real processes: workers of the
 * real zinit-server, launched by the whole application, measured from /proc and the cgroup files.
 * Needs a writable cgroup hierarchy for each controller (this machine's kind has v1 ones, and Herd
 * runs as root in the tests); where there is none the tests are skipped and the unit tests show the
 * condition Herd raises instead.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class CgroupLimitsIT {
    private static final Path DIR = PrivateServers.desiredStateDir();
    private static final Duration T = Duration.ofSeconds(60);
    private static final List<String> POOLS = List.of("hog", "bomb", "spin");
    private static Map<Controller, Mount> mounts;

    @BeforeAll
    static void writePools() throws Exception {
        mounts = Mounts.parse(Files.readString(Path.of("/proc/self/mountinfo")), Mounts::offeredBy);
        // 300 MB written byte by byte (so it is resident) after 2 s, under a 100 MiB limit
        write("hog", "[\"/usr/bin/python3\", \"-c\", \"import time; time.sleep(2); b = b'x' * (300 * 1024 * 1024); time.sleep(600)\"]",
                "{memory: 100Mi}");
        // a fork bomb with a safety stop: 300 processes asked for, 50 allowed
        write("bomb", "[\"/bin/sh\", \"-c\", \"i=0; while [ $i -lt 300 ]; do sleep 600 & i=$((i+1)); done; wait\"]", "{processes: 50}");
        write("spin", "[\"/bin/sh\", \"-c\", \"while :; do :; done\"]", "{cpu: 200m}");
    }

    @AfterAll
    static void removePools() throws Exception {
        HeroPools.removePools("cgroup", POOLS);
    }

    private static void write(String name, String exec, String limits) throws IOException {
        HeroPools.writePool("cgroup", name, 1, exec, "    limits: " + limits + "\n");
    }

    private static void assumeWritable(Controller c) {
        Assumptions.assumeTrue(mounts.containsKey(c) && Files.isWritable(mounts.get(c).path()),
                "no writable cgroup hierarchy holds the " + c.kernelName() + " controller here");
    }

    private static JsonPath pool(String name) {
        return given().get("/api/v1/pools/" + name).then().statusCode(200).extract().jsonPath();
    }

    /**
     * The worker's group for {@code c} once a process is in it: only the worker's launch wrapper
     * makes it, and only the worker's processes join it.
     */
    private static Path groupOf(String worker, Controller c) {
        Path group = mounts.get(c).path().resolve("herd").resolve("herd-test-" + WorkerCgroups.shortHash(PrivateServers.zinit().socket().toString()))
                .resolve(worker);
        await().atMost(T).ignoreExceptions().until(() -> !Files.readString(group.resolve("cgroup.procs")).isBlank());
        return group;
    }

    private static long number(Path group, String file, String key) throws IOException {
        for (String line : Files.readAllLines(group.resolve(file))) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).trim());
            }
        }
        throw new AssertionError(group.resolve(file) + " has no " + key);
    }

    @Test
    void aWorkerOverItsMemoryLimitIsKilledByTheKernelAndShowsAsOomKilled() throws Exception {
        assumeWritable(Controller.MEMORY);
        Path group = groupOf("hog-0", Controller.MEMORY);
        if (!mounts.get(Controller.MEMORY).unified()) {
            assertThat(Files.readString(group.resolve("memory.limit_in_bytes")).trim()).isEqualTo(String.valueOf(100L << 20));
        }
        await().atMost(T).ignoreExceptions().untilAsserted(() -> {
            JsonPath hog = pool("hog");
            assertThat(hog.getString("workers[0].lastTermination.reason")).isEqualTo("OOMKilled");
        });
        given().get("/api/v1/events?pool=hog").then().body("reason", hasItem("OOMKilled")).body("worker", hasItem("hog-0"));
        // the kernel kept it within the limit: the most it ever had charged
        String peak = mounts.get(Controller.MEMORY).unified() ? "memory.peak" : "memory.max_usage_in_bytes";
        if (Files.exists(group.resolve(peak))) {
            assertThat(Long.parseLong(Files.readString(group.resolve(peak)).trim())).isLessThanOrEqualTo(100L << 20);
        }
    }

    @Test
    void aForkBombStopsAtTheProcessLimitAndTheHostStaysResponsive() throws Exception {
        assumeWritable(Controller.PIDS);
        Path group = groupOf("bomb-0", Controller.PIDS);
        assertThat(Files.readString(group.resolve("pids.max")).trim()).isEqualTo("50");
        // it asks for 300: the kernel refuses every fork past 50
        await().atMost(T).until(() -> number(group, "pids.events", "max") > 0);
        assertThat(Long.parseLong(Files.readString(group.resolve("pids.current")).trim())).isLessThanOrEqualTo(50);
        Process probe = new ProcessBuilder("true").start();
        assertThat(probe.waitFor(10, TimeUnit.SECONDS)).as("a new process starts on the host").isTrue();
        given().get("/q/health/live").then().statusCode(200);

        // removed: everything in its group ends, and the group goes
        List<Long> inGroup = Files.readAllLines(group.resolve("cgroup.procs")).stream().map(Long::parseLong).toList();
        assertThat(inGroup).isNotEmpty();
        Files.delete(DIR.resolve("cgroup-bomb.yaml"));
        HeroPools.awaitGone(List.of("bomb"));
        await().atMost(T).until(() -> !Files.exists(group));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(inGroup.stream().filter(CgroupLimitsIT::running).toList()).isEmpty());
    }

    /** Still running: not gone, and not a zombie waiting for its parent to collect it. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aBusyLoopStaysWithinItsCpuQuota() throws Exception {
        assumeWritable(Controller.CPU);
        Path group = groupOf("spin-0", Controller.CPU);
        if (!mounts.get(Controller.CPU).unified()) {
            assertThat(Files.readString(group.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("20000");
            assertThat(Files.readString(group.resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
        }
        double ticksPerSecond = 100; // USER_HZ, the unit of /proc/PID/stat on Linux
        long before = cpuTicks(group);
        long start = System.nanoTime();
        Thread.sleep(4000);
        long used = cpuTicks(group) - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        double cores = used / ticksPerSecond / seconds;
        // 20 % of a core, and a tick of measuring slack either side of the window
        assertThat(cores).isLessThanOrEqualTo(0.20 + 2 / ticksPerSecond / seconds);
        // and it wanted more: the kernel held it back
        assertThat(number(group, "cpu.stat", "nr_throttled")).isPositive();
    }

    /** User and system time of every process in the group, in ticks. */
    private static long cpuTicks(Path group) throws IOException {
        long sum = 0;
        for (String pid : Files.readAllLines(group.resolve("cgroup.procs"))) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid.trim() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return sum;
    }
}
