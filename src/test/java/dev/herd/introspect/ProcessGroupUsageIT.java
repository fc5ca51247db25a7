package dev.herd.introspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The /proc reading against real processes: a group that spins and allocates shows it. */
class ProcessGroupUsageIT {

    @Test
    void aSpinningGroupWithAChildHoldingMemoryShowsBoth() throws Exception {
        // setsid: a process group of its own, led by the pid we get, as Zinit gives each service
        Process p = new ProcessBuilder("setsid", "bash", "-c",
                "/usr/bin/python3 -c 'b = bytearray(80 * 1024 * 1024); import time; time.sleep(30)' & "
                        + "end=$((SECONDS + 20)); while [ $SECONDS -lt $end ]; do :; done").start();
        try {
            int leader = (int) p.pid();
            // the child has allocated when the group's memory shows it
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                GroupUsage g = GroupUsage.of(ProcessTable.read(Path.of("/proc")), Set.of(leader), 4096).get(leader);
                return g != null && g.rssBytes() > 80L * 1024 * 1024;
            });
            GroupUsage second = GroupUsage.of(ProcessTable.read(Path.of("/proc")), Set.of(leader), 4096).get(leader);
            assertThat(second.processes()).isGreaterThanOrEqualTo(2);
            assertThat(second.rssBytes()).isGreaterThan(80L * 1024 * 1024);
            // the spin shows as CPU in some one-second window: on a loaded 2-core machine not necessarily the first
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> {
                Map<Integer, GroupUsage> a = GroupUsage.of(ProcessTable.read(Path.of("/proc")), Set.of(leader), 4096);
                long t0 = System.nanoTime();
                Thread.sleep(1000);
                Map<Integer, GroupUsage> b = GroupUsage.of(ProcessTable.read(Path.of("/proc")), Set.of(leader), 4096);
                return GroupUsage.cpuPercent(a.get(leader).ticks(), b.get(leader).ticks(), System.nanoTime() - t0, 100) > 20;
            });
        } finally {
            new ProcessBuilder("pkill", "-KILL", "-g", Long.toString(p.pid())).start().waitFor();
        }
    }
}
