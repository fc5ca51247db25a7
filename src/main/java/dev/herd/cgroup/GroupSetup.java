package dev.herd.cgroup;

import dev.herd.desired.Limits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps that put one worker in its cgroups, for the launch wrapper to carry out before the
 * worker's program runs: a folder to make ({@code path/}), a value to write ({@code file=value}) or
 * a group to join ({@code cgroup.procs}, the wrapper's own pid). Limits are written at every start,
 * so a group left by an earlier template of the same worker takes the current ones. Pure.
 */
public final class GroupSetup {
    /** The CFS period: 100 ms, the kernel's default, so a quota of 20 % is 20 ms in every 100. */
    static final long CPU_PERIOD_MICROS = 100_000;

    private GroupSetup() {
    }

    /** The controllers {@code limits} needs. */
    public static Set<Controller> needed(Limits limits) {
        Set<Controller> out = EnumSet.noneOf(Controller.class);
        limits.memoryBytes().ifPresent(b -> out.add(Controller.MEMORY));
        limits.cpuMillis().ifPresent(m -> out.add(Controller.CPU));
        limits.processes().ifPresent(n -> out.add(Controller.PIDS));
        return out;
    }

    /**
     * @param mounts  the hierarchies Herd prepared its scope in, by controller
     * @param scope   Herd's folder in each hierarchy, relative ({@code herd/<controller-id>-<zinit>})
     * @param worker  the worker's service name (its group's name)
     * @param limits  the template's limits; controllers without a mount are left out (the pool's
     *                condition says so)
     * @param swap    whether the kernel accounts swap ({@code memory.memsw.*} on v1, {@code memory.swap.max} on v2):
     *                then the memory limit holds swap too
     */
    public static List<String> steps(Map<Controller, Mount> mounts, String scope, String worker, Limits limits, boolean swap) {
        Set<Controller> wanted = needed(limits);
        Set<Path> joins = new LinkedHashSet<>();
        List<String> steps = new ArrayList<>();
        for (Controller c : Controller.values()) {
            Mount mount = mounts.get(c);
            if (mount == null || !wanted.contains(c)) {
                continue;
            }
            Path group = mount.path().resolve(scope).resolve(worker);
            if (joins.add(group.resolve("cgroup.procs"))) {
                steps.add(group + "/");
                if (mount.unified()) {
                    // one group holds every controller: write all, so a limit dropped from the template goes too
                    unified(mounts, group, limits, swap).forEach(steps::add);
                }
            }
            if (!mount.unified()) {
                v1(c, group, limits, swap).forEach(steps::add);
            }
        }
        joins.forEach(j -> steps.add(j.toString()));
        return steps;
    }

    private static List<String> v1(Controller c, Path group, Limits limits, boolean memsw) {
        return switch (c) {
            case MEMORY -> {
                long bytes = limits.memoryBytes().orElseThrow();
                // memsw must never fall below the memory limit: lift it first, then set both
                yield memsw ? List.of(write(group, "memory.memsw.limit_in_bytes", "-1"), write(group, "memory.limit_in_bytes", bytes),
                        write(group, "memory.memsw.limit_in_bytes", bytes))
                        : List.of(write(group, "memory.limit_in_bytes", bytes));
            }
            case CPU -> List.of(write(group, "cpu.cfs_period_us", CPU_PERIOD_MICROS),
                    write(group, "cpu.cfs_quota_us", quota(limits.cpuMillis().orElseThrow())));
            case PIDS -> List.of(write(group, "pids.max", limits.processes().orElseThrow()));
        };
    }

    private static List<String> unified(Map<Controller, Mount> mounts, Path group, Limits limits, boolean swap) {
        List<String> out = new ArrayList<>();
        if (isUnified(mounts, Controller.MEMORY)) {
            out.add(write(group, "memory.max", limits.memoryBytes().map(String::valueOf).orElse("max")));
            if (swap) {
                // v2 counts swap apart: none, so the memory limit is all the worker gets
                out.add(write(group, "memory.swap.max", limits.memoryBytes().isPresent() ? "0" : "max"));
            }
            // the whole worker ends together when it runs out, as Kubernetes does on cgroup v2
            out.add(write(group, "memory.oom.group", "1"));
        }
        if (isUnified(mounts, Controller.CPU)) {
            out.add(write(group, "cpu.max", limits.cpuMillis().map(m -> String.valueOf(quota(m))).orElse("max") + " " + CPU_PERIOD_MICROS));
        }
        if (isUnified(mounts, Controller.PIDS)) {
            out.add(write(group, "pids.max", limits.processes().map(String::valueOf).orElse("max")));
        }
        return out;
    }

    private static boolean isUnified(Map<Controller, Mount> mounts, Controller c) {
        return mounts.containsKey(c) && mounts.get(c).unified();
    }

    static long quota(long cpuMillis) {
        return cpuMillis * CPU_PERIOD_MICROS / 1000;
    }

    private static String write(Path group, String file, Object value) {
        return group.resolve(file) + "=" + value;
    }
}
