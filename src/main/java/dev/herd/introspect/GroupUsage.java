package dev.herd.introspect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums the processes of each worker's process group, and turns two sums of CPU ticks into a share of
 * a core. Pure.
 *
 * @param ticks     CPU ticks of the group (monotonic while its processes live or are reaped inside it)
 * @param rssBytes  resident memory of the group
 * @param processes processes in the group
 */
record GroupUsage(long ticks, long rssBytes, int processes) {

    /** Every group led by one of {@code leaders}, from one read of the process table. */
    static Map<Integer, GroupUsage> of(List<ProcessTable.Proc> procs, Set<Integer> leaders, long pageSize) {
        Map<Integer, GroupUsage> out = new HashMap<>();
        for (ProcessTable.Proc p : procs) {
            if (leaders.contains(p.group())) {
                out.merge(p.group(), new GroupUsage(p.cpuTicks(), p.rssPages() * pageSize, 1),
                        (a, b) -> new GroupUsage(a.ticks() + b.ticks(), a.rssBytes() + b.rssBytes(), a.processes() + b.processes()));
            }
        }
        return out;
    }

    /**
     * Percent of one core used between two samples; 0 on the first sample, and when a process left
     * the group unreaped (its ticks vanish from the sum, which must not read as negative use).
     */
    static double cpuPercent(long ticksBefore, long ticksNow, long elapsedNanos, long ticksPerSecond) {
        if (elapsedNanos <= 0 || ticksNow <= ticksBefore) {
            return 0;
        }
        return (ticksNow - ticksBefore) * 100.0 * 1_000_000_000L / ((double) ticksPerSecond * elapsedNanos);
    }
}
