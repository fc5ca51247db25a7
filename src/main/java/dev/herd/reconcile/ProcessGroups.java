package dev.herd.reconcile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of a process group on this host, from /proc. Zinit runs each service as the leader
 * of its own group (its {@code sh -c} wrapper's pid), and counts the service as exited as soon as
 * the wrapper dies, while the worker in that group may still be finishing its job (hazard 7 in
 * docs/zinit-protocol.md). A worker is only gone when its whole group is.
 */
final class ProcessGroups {
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

    /** SIGKILLs every process of the group (what a stop timeout does to a group Zinit no longer tracks). */
    static void kill(long pgid) {
        if (pgid <= 0) {
            return;
        }
        members(pgid).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
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
