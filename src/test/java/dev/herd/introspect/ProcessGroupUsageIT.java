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
            Map<Integer, GroupUsage> first = GroupUsage.of(ProcessTable.read(Path.of("/proc")), Set.of(leader), 4096);
            long t0 = System.nanoTime();
            Thread.sleep(1000);
            Map<Integer, GroupUsage> second = GroupUsage.of(ProcessTable.read(Path.of("/proc")), Set.of(leader), 4096);
            long elapsed = System.nanoTime() - t0;
            assertThat(second.get(leader).processes()).isGreaterThanOrEqualTo(2);
            assertThat(second.get(leader).rssBytes()).isGreaterThan(80L * 1024 * 1024);
            assertThat(GroupUsage.cpuPercent(first.get(leader).ticks(), second.get(leader).ticks(), elapsed, 100)).isGreaterThan(20);
        } finally {
            new ProcessBuilder("pkill", "-KILL", "-g", Long.toString(p.pid())).start().waitFor();
        }
    }
}
