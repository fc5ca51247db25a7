package dev.herd.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The processes of a process group on this host, from /proc. Zinit runs each service as the leader
 * of its own group (its {@code sh -c} wrapper's pid), and counts the service as exited as soon as
 * the wrapper dies, while the worker in that group may still be finishing its job (hazard 7 in
 * docs/zinit-protocol.md). A worker is only gone when its whole group is.
 */
public final class ProcessGroups {
    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {
    }

    /** Pids of the live processes in group {@code pgid}; empty where /proc cannot be read. */
    static List<Long> members(long pgid) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.forEach(dir -> {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && inGroup(statFields(dir), pgid)) {
                    out.add(Long.parseLong(name));
                }
            });
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /**
     * Whether process {@code pid} is this worker's (its environment carries the worker's ownership
     * labels): a pid Zinit shows for a service a delete moved may not be that service's.
     */
    public static boolean isWorker(long pid, String pool, int ordinal) {
        if (pid <= 0) {
            return false;
        }
        Map<String, String> env = environ(pid);
        return (pool).equals(env.get(Ownership.POOL)) && Integer.toString(ordinal).equals(env.get(Ownership.ORDINAL));
    }

    /** A process's environment; empty when it is gone or not ours to read. */
    public static Map<String, String> environ(long pid) {
        try {
            Map<String, String> env = new HashMap<>();
            for (String kv : new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"))).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return env;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** SIGKILLs every process of the group (what a stop timeout does to a group Zinit no longer tracks). */
    static void kill(long pgid) {
        if (pgid <= 0) {
            return;
        }
        members(pgid).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /**
     * Sends {@code signal} (a name such as SIGTERM) to the group, as Zinit's stop does; kill(1) is
     * used because Java signals single processes and only with TERM or KILL. Blocks up to 2 s.
     */
    static void signal(long pgid, String signal) {
        if (pgid > 0) {
            kill(signal, List.of("-" + pgid));
        }
    }

    /** Sends {@code signal} to each of {@code pids} (SIGSTOP, say, which Java cannot send); true when kill(1) reached them all. */
    public static boolean signalEach(List<Long> pids, String signal) {
        return pids.isEmpty() || kill(signal, pids.stream().map(String::valueOf).toList());
    }

    private static boolean kill(String signal, List<String> targets) {
        List<String> command = new ArrayList<>(List.of("kill", "-s", signal.replaceFirst("^SIG", ""), "--"));
        command.addAll(targets);
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return false;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            return false; // no kill(1): for a stop, the deadline's SIGKILL still ends the worker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** stat's fields after the name start: state ppid pgrp; a zombie is dead already. */
    private static boolean inGroup(String[] fields, long pgid) {
        return fields.length > 2 && !fields[0].equals("Z") && fields[2].equals(Long.toString(pgid));
    }

    /** The fields after the command name, which may itself hold spaces and parentheses. */
    private static String[] statFields(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return new String[0]; // exited meanwhile
        }
    }
}
