package dev.herd.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server process started for tests under {@code bin/lib/watchdog}, so it is ended even when the
 * test JVM is killed. {@link #close()} stops it (SIGTERM, then SIGKILL after a grace) and waits.
 */
final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process watchdog;
    private final Path log;

    private ManagedProcess(String name, Process watchdog, Path log) {
        this.name = name;
        this.watchdog = watchdog;
        this.log = log;
    }

    static ManagedProcess start(String name, Path log, List<String> command) throws IOException {
        return start(name, log, command, "");
    }

    /** @param gracefulStop a command line the watchdog runs first when stopping (empty for none) */
    static ManagedProcess start(String name, Path log, List<String> command, String gracefulStop) throws IOException {
        return start(name, log, command, gracefulStop, java.util.Map.of());
    }

    /** @param env extra environment of the server (inherited by everything it starts) */
    static ManagedProcess start(String name, Path log, List<String> command, String gracefulStop,
                                java.util.Map<String, String> env) throws IOException {
        List<String> full = new ArrayList<>();
        full.add(projectRoot().resolve("bin/lib/watchdog").toString());
        full.add(Long.toString(ProcessHandle.current().pid()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HERD_WATCHDOG_GRACE", "10");
        pb.environment().put("HERD_WATCHDOG_STOP", gracefulStop);
        pb.environment().putAll(env);
        return new ManagedProcess(name, pb.start(), log);
    }

    /** Waits until {@code ready} holds, failing with the process's log when it does not in time. */
    void awaitReady(Duration within, BooleanSupplier ready) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!watchdog.isAlive()) {
                throw new IllegalStateException(name + " exited at start:\n" + tail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException(name + " did not become ready within " + within + ":\n" + tail());
    }

    /** Kills the server itself with SIGKILL, as a crash would (the watchdog then exits too). */
    void killServer() {
        watchdog.children().forEach(ProcessHandle::destroyForcibly);
        try {
            watchdog.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return watchdog.isAlive();
    }

    /** Process ids of the real server (the watchdog's children). */
    List<Long> serverPids() {
        return watchdog.children().map(ProcessHandle::pid).toList();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        watchdog.destroy();
        try {
            if (!watchdog.waitFor(30, TimeUnit.SECONDS)) {
                watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("bin/lib/watchdog"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find bin/lib/watchdog above " + System.getProperty("user.dir"));
        }
        return dir;
    }

    /** Finds a program on PATH or in ~/.cargo/bin (where bin/install puts Zinit). */
    static String executable(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add(System.getProperty("user.home") + "/.cargo/bin");
        for (String dir : dirs) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(program + " is not installed: run bin/install");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
