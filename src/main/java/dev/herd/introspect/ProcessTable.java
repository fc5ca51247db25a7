package dev.herd.introspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads every process's {@code /proc/PID/stat}: the imperative shell of the CPU and memory figures. */
public final class ProcessTable {
    private ProcessTable() {
    }

    /**
     * One process as the kernel counts it.
     *
     * @param pid        process id
     * @param parent     parent's pid
     * @param group      process group id (Zinit puts each service in a group of its own, led by the pid it tracks)
     * @param session    session id (Zinit's groups stay in its session; a job started with setsid leads its own)
     * @param startTicks when it started, in clock ticks since boot (with the pid, names one process)
     * @param cpuTicks   user + system time of the process and of its children it has waited for, in clock ticks
     * @param rssPages   resident pages
     * @param state      the kernel's state letter: R, S, D, T (stopped), t (traced), Z, ...
     */
    public record Proc(int pid, int parent, int group, int session, long startTicks, long cpuTicks, long rssPages, char state) {
        public boolean stopped() {
            return state == 'T' || state == 't';
        }

        /** Leads a process group of its own without leading a session: how Zinit starts a service (setpgid, not setsid). */
        public boolean leadsGroupNotSession() {
            return group == pid && session != pid;
        }
    }

    public static List<Proc> read(Path proc) {
        List<Proc> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                readDir(dir).ifPresent(out::add);
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** One process; empty when it is gone. */
    public static Optional<Proc> read(Path proc, long pid) {
        return readDir(proc.resolve(Long.toString(pid)));
    }

    private static Optional<Proc> readDir(Path dir) {
        try {
            return parse(Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty(); // the process ended between listing and reading
        }
    }

    /** Parses one stat line; the command name may hold spaces and parentheses, so fields count from the last ')'. */
    public static Optional<Proc> parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 22) {
            return Optional.empty();
        }
        try {
            int pid = Integer.parseInt(stat.substring(0, stat.indexOf(' ')));
            // after the name: state(3) ppid(4) pgrp(5) session(6) ... utime(14) stime(15) cutime(16) cstime(17) ... starttime(22) ... rss(24)
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return Optional.of(new Proc(pid, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[19]), ticks,
                    Long.parseLong(f[21]), f[0].isEmpty() ? '?' : f[0].charAt(0)));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }
}
