package dev.herd.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** This host's /proc, read the way a test checks what the kernel enforces. */
public final class Procs {
    private Procs() {
    }

    /** Sends {@code signal} ("-STOP", "-TERM", ...) with kill(1). */
    public static void kill(String signal, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor();
    }

    /** Processes in the process group led by {@code leader} (Zinit 0.3.9 gives each service one). */
    public static List<Integer> group(int leader) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Integer.parseInt(f[2]) == leader) {
                        out.add(Integer.parseInt(dir.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The member of {@code leader}'s group whose command name is {@code comm}. */
    public static Optional<Integer> inGroup(int leader, String comm) {
        return group(leader).stream().filter(p -> comm.equals(comm(p))).findFirst();
    }

    public static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** A line of /proc/PID/status or /proc/PID/limits starting with {@code prefix}, e.g. "Uid:". */
    public static String line(int pid, String file, String prefix) {
        try {
            return Files.readAllLines(Path.of("/proc", Integer.toString(pid), file)).stream()
                    .filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /** The uid of an account in /etc/passwd; an assertion error saying to run bin/install when it is missing. */
    public static int uidOf(String user) throws IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/passwd")).stream().map(l -> l.split(":"))
                .filter(f -> f[0].equals(user)).mapToInt(f -> Integer.parseInt(f[2])).findFirst()
                .orElseThrow(() -> new AssertionError("no account " + user + ": run bin/install, which creates it"));
    }
}
