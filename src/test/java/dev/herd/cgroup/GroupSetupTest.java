package dev.herd.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.desired.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each controller is found, and the steps that put a worker in its groups, for v1 and v2 hosts. */
class GroupSetupTest {
    private static final Limits ALL = new Limits(Optional.of(100L << 20), Optional.of(200L), Optional.of(50L), Optional.empty(),
            Optional.empty(), Optional.empty());

    /** This machine's kind: v1 hierarchies, and an empty v2 one beside them (hybrid). */
    private static final String HYBRID = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            38 31 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    /** A systemd host on cgroup v2 only. */
    private static final String UNIFIED = """
            25 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    @Test
    void v1ControllersAreFoundByTheirMountOptionsAndWinOverAnEmptyUnifiedHierarchy() {
        Map<Controller, Mount> m = Mounts.parse(HYBRID, p -> Set.of());
        assertThat(m).containsEntry(Controller.MEMORY, new Mount(Path.of("/sys/fs/cgroup/memory"), false))
                .containsEntry(Controller.CPU, new Mount(Path.of("/sys/fs/cgroup/cpu"), false))
                .containsEntry(Controller.PIDS, new Mount(Path.of("/sys/fs/cgroup/pids"), false));
    }

    @Test
    void aUnifiedHierarchyHoldsTheControllersItsControllersFileLists() {
        Map<Controller, Mount> m = Mounts.parse(UNIFIED, p -> Set.of("cpuset", "cpu", "io", "memory", "pids"));
        assertThat(m.values()).containsOnly(new Mount(Path.of("/sys/fs/cgroup"), true));
        assertThat(m).hasSize(3);
        assertThat(Mounts.parse(UNIFIED, p -> Set.of("memory"))).containsOnlyKeys(Controller.MEMORY);
    }

    @Test
    void escapedMountPointsAreRead() {
        assertThat(Mounts.unescape("/mnt/cg\\040v1")).isEqualTo("/mnt/cg v1");
    }

    @Test
    void onV1EachControllerHasItsGroupItsLimitsWrittenBeforeTheWorkerJoins() {
        Map<Controller, Mount> v1 = Mounts.parse(HYBRID, p -> Set.of());
        assertThat(GroupSetup.steps(v1, "herd/h-1", "osis-0", ALL, true)).containsExactly(
                "/sys/fs/cgroup/memory/herd/h-1/osis-0/",
                "/sys/fs/cgroup/memory/herd/h-1/osis-0/memory.memsw.limit_in_bytes=-1",
                "/sys/fs/cgroup/memory/herd/h-1/osis-0/memory.limit_in_bytes=104857600",
                "/sys/fs/cgroup/memory/herd/h-1/osis-0/memory.memsw.limit_in_bytes=104857600",
                "/sys/fs/cgroup/cpu/herd/h-1/osis-0/",
                "/sys/fs/cgroup/cpu/herd/h-1/osis-0/cpu.cfs_period_us=100000",
                "/sys/fs/cgroup/cpu/herd/h-1/osis-0/cpu.cfs_quota_us=20000",
                "/sys/fs/cgroup/pids/herd/h-1/osis-0/",
                "/sys/fs/cgroup/pids/herd/h-1/osis-0/pids.max=50",
                "/sys/fs/cgroup/memory/herd/h-1/osis-0/cgroup.procs",
                "/sys/fs/cgroup/cpu/herd/h-1/osis-0/cgroup.procs",
                "/sys/fs/cgroup/pids/herd/h-1/osis-0/cgroup.procs");
    }

    @Test
    void onV1OnlyTheControllersOfTheLimitsSetAreJoined() {
        Limits pids = new Limits(Optional.empty(), Optional.empty(), Optional.of(8L), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(GroupSetup.steps(Mounts.parse(HYBRID, p -> Set.of()), "herd/h-1", "w-0", pids, false)).containsExactly(
                "/sys/fs/cgroup/pids/herd/h-1/w-0/", "/sys/fs/cgroup/pids/herd/h-1/w-0/pids.max=8", "/sys/fs/cgroup/pids/herd/h-1/w-0/cgroup.procs");
        Limits rlimitsOnly = new Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(64L),
                Optional.of(Duration.ofSeconds(5)), Optional.empty());
        assertThat(GroupSetup.steps(Mounts.parse(HYBRID, p -> Set.of()), "herd/h-1", "w-0", rlimitsOnly, true)).isEmpty();
    }

    @Test
    void onV2OneGroupHoldsEveryLimitAndOneSetUnsetIsWrittenAsMax() {
        Map<Controller, Mount> v2 = Mounts.parse(UNIFIED, p -> Set.of("cpu", "memory", "pids"));
        Limits memory = new Limits(Optional.of(1L << 30), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(GroupSetup.steps(v2, "herd/h-1", "osis-0", memory, false)).containsExactly(
                "/sys/fs/cgroup/herd/h-1/osis-0/",
                "/sys/fs/cgroup/herd/h-1/osis-0/memory.max=1073741824",
                "/sys/fs/cgroup/herd/h-1/osis-0/memory.oom.group=1",
                "/sys/fs/cgroup/herd/h-1/osis-0/cpu.max=max 100000",
                "/sys/fs/cgroup/herd/h-1/osis-0/pids.max=max",
                "/sys/fs/cgroup/herd/h-1/osis-0/cgroup.procs");
        assertThat(GroupSetup.steps(v2, "herd/h-1", "osis-0", ALL, false)).contains("/sys/fs/cgroup/herd/h-1/osis-0/cpu.max=20000 100000",
                "/sys/fs/cgroup/herd/h-1/osis-0/pids.max=50").filteredOn(s -> s.endsWith("cgroup.procs")).hasSize(1);
    }

    @Test
    void onV2WithSwapAccountedTheMemoryLimitLeavesNoSwap() {
        Map<Controller, Mount> v2 = Mounts.parse(UNIFIED, p -> Set.of("memory"));
        assertThat(GroupSetup.steps(v2, "herd/h-1", "osis-0", ALL, true)).containsExactly(
                "/sys/fs/cgroup/herd/h-1/osis-0/",
                "/sys/fs/cgroup/herd/h-1/osis-0/memory.max=104857600",
                "/sys/fs/cgroup/herd/h-1/osis-0/memory.swap.max=0",
                "/sys/fs/cgroup/herd/h-1/osis-0/memory.oom.group=1",
                "/sys/fs/cgroup/herd/h-1/osis-0/cgroup.procs");
    }

    @Test
    void onV2TheControllerIsEnabledFromTheRootDownToTheScopeByWholeName(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("herd/h-1"));
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpuset io"); // "cpuset" is not "cpu"
        Files.writeString(root.resolve("herd/cgroup.subtree_control"), "");
        Files.writeString(root.resolve("herd/h-1/cgroup.subtree_control"), "");
        WorkerCgroups cgroups = new WorkerCgroups(Map.of(Controller.CPU, new Mount(root, true)), "herd/h-1");
        assertThat(cgroups.unenforced(ALL)).hasValueSatisfying(why -> assertThat(why).doesNotContain("limits.cpu"));
        for (Path level : List.of(root, root.resolve("herd"), root.resolve("herd/h-1"))) {
            assertThat(Files.readString(level.resolve("cgroup.subtree_control"))).as(level.toString()).isEqualTo("+cpu");
        }
    }

    @Test
    void aLimitWithoutAWritableHierarchyIsNamedWithTheReasonAndLeftOut(@TempDir Path tmp) throws Exception {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "");
        WorkerCgroups cgroups = new WorkerCgroups(Map.of(Controller.PIDS, new Mount(tmp.resolve("pids"), false),
                Controller.MEMORY, new Mount(notAFolder, false)), "herd/h-1");
        assertThat(cgroups.unenforced(ALL)).hasValueSatisfying(why -> assertThat(why)
                .contains("limits.memory: cannot prepare " + notAFolder + "/herd/h-1")
                .contains("limits.cpu: no cgroup hierarchy on this host offers the cpu controller")
                .doesNotContain("limits.processes"));
        assertThat(cgroups.setup("w-0", ALL)).containsExactly(tmp.resolve("pids/herd/h-1/w-0/").toString() + "/",
                tmp.resolve("pids/herd/h-1/w-0/pids.max") + "=50", tmp.resolve("pids/herd/h-1/w-0/cgroup.procs").toString());
        assertThat(Files.isDirectory(tmp.resolve("pids/herd/h-1"))).as("its scope, made at start").isTrue();
        Limits none = new Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(8L), Optional.empty(), Optional.empty());
        assertThat(cgroups.unenforced(none)).isEmpty();
    }

    @Test
    void aScopeNameThatCouldBreakThePathIsRefused(@TempDir Path tmp) {
        WorkerCgroups cgroups = new WorkerCgroups(Map.of(Controller.PIDS, new Mount(tmp, false)), "herd/a=b c");
        assertThat(cgroups.unenforced(ALL)).hasValueSatisfying(why -> assertThat(why).contains("limits.processes: the cgroup folder name"));
        assertThat(cgroups.setup("w-0", ALL)).isEmpty();
    }
}
