package dev.herd.soak;

import dev.herd.zinit.ServiceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The soak's own look for stray workers: processes whose environment carries the soak Herd's
 * ownership label but that no Zinit service runs (none of their ancestors, nor they, is a pid Zinit
 * lists), and that are not stopped. A stray takes jobs beside the worker that replaced it and
 * answers its pings; a frozen one does neither. Judged with the JDK's process tree, independently
 * of how Herd judges it.
 */
final class StrayWorkers {
    private static final Path PROC = Path.of("/proc");

    private StrayWorkers() {
    }

    /** Each stray as "pid (worker)"; empty when none. */
    static List<String> find(String owner, List<ServiceStatus> services) {
        Set<Long> zinitPids = services.stream().filter(s -> s.pid() > 0).map(s -> (long) s.pid()).collect(Collectors.toSet());
        List<String> strays = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(PROC)) {
            dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dir -> {
                long pid = Long.parseLong(dir.getFileName().toString());
                List<String> env = environ(dir);
                if (env.contains("HERD_OWNER=" + owner) && !underZinit(pid, zinitPids) && !stopped(dir)) {
                    String worker = env.stream().filter(e -> e.startsWith("HERD_POOL=")).findFirst().map(e -> e.substring(10)).orElse("?")
                            + "-" + env.stream().filter(e -> e.startsWith("HERD_ORDINAL=")).findFirst().map(e -> e.substring(13)).orElse("?");
                    strays.add(pid + " (" + worker + ")");
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        return strays;
    }

    /** SIGKILLs every process labelled for {@code owner}'s workers, frozen or not (the end of a run). */
    static void killAll(String owner) {
        try (Stream<Path> dirs = Files.list(PROC)) {
            dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(d -> environ(d).contains("HERD_OWNER=" + owner))
                    .forEach(d -> ProcessHandle.of(Long.parseLong(d.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException e) {
            // nothing to list: nothing to kill
        }
    }

    private static boolean underZinit(long pid, Set<Long> zinitPids) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        while (p.isPresent()) {
            if (zinitPids.contains(p.get().pid())) {
                return true;
            }
            p = p.get().parent();
        }
        // gone meanwhile counts as not stray: a stray is a process that lives on
        return ProcessHandle.of(pid).isEmpty();
    }

    /** Stopped (SIGSTOP): a stray Herd froze takes no job and answers no ping. */
    private static boolean stopped(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private static List<String> environ(Path dir) {
        try {
            return List.of(new String(Files.readAllBytes(dir.resolve("environ"))).split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of(); // gone, or not ours to read
        }
    }
}
