package dev.herd.zinit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The service table behind both fake front ends, behaving as NOTES.md describes threefoldtech
 * Zinit: {@code <name>.yaml} files in a config dir, monitor loads and starts one, processes are
 * real (argv from a shell-words split of {@code exec}, no shell), a non-oneshot service that exits
 * is started again after a fixed delay, forever, {@code after} dependencies block until they run,
 * {@code test} gates Spawned → Running, states in Rust debug format.
 *
 * <p>Not modelled: TestFailure (a failing test just keeps Spawned), CPU use (always 0.0), zinit's
 * own log lines. Signals go to the process and its descendants (a stand-in for its process group).
 */
final class FakeSupervisor implements AutoCloseable {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("SIGHUP", 1), Map.entry("SIGINT", 2),
            Map.entry("SIGQUIT", 3), Map.entry("SIGABRT", 6), Map.entry("SIGKILL", 9), Map.entry("SIGUSR1", 10),
            Map.entry("SIGUSR2", 12), Map.entry("SIGALRM", 14), Map.entry("SIGTERM", 15), Map.entry("SIGCONT", 18),
            Map.entry("SIGSTOP", 19));
    private static final int LOG_RING = 2000;
    private static final Duration RECHECK = Duration.ofMillis(100);

    private final Path configDir;
    private final Duration respawnDelay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-zinit-timer");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Deque<String> logs = new ArrayDeque<>();

    private static final class Service {
        final String name;
        final JsonNode config;
        String state = "Unknown";
        boolean up;
        Process process;
        int lastSignal;

        Service(String name, JsonNode config) {
            this.name = name;
            this.config = config;
        }

        int pid() {
            return process == null ? 0 : (int) process.pid();
        }
    }

    FakeSupervisor(Path configDir, Duration respawnDelay) throws IOException {
        this.configDir = Files.createDirectories(configDir);
        this.respawnDelay = respawnDelay;
    }

    Path configDir() {
        return configDir;
    }

    // ---- files: service_create / service_delete / service_get ----

    synchronized String createFile(String name, JsonNode content) {
        Path file = file(name);
        if (Files.exists(file)) {
            throw FakeFailure.alreadyExists(name);
        }
        try {
            YAML.writeValue(file.toFile(), content);
        } catch (IOException e) {
            throw FakeFailure.fileError(name, "create");
        }
        return "Service '" + name + "' created successfully";
    }

    synchronized String deleteFile(String name) {
        try {
            if (!Files.deleteIfExists(file(name))) {
                throw FakeFailure.fileNotFound(name);
            }
        } catch (IOException e) {
            throw FakeFailure.fileError(name, "delete");
        }
        return "Service '" + name + "' deleted successfully";
    }

    synchronized JsonNode readFile(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            throw FakeFailure.fileNotFound(name);
        }
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw FakeFailure.fileError(name, "read");
        }
    }

    // ---- the service table ----

    synchronized void monitor(String name) {
        checkName(name);
        if (services.containsKey(name)) {
            throw FakeFailure.alreadyMonitored(name);
        }
        JsonNode config;
        try {
            config = YAML.readTree(file(name).toFile());
        } catch (IOException e) {
            throw FakeFailure.configError(name, e.getMessage());
        }
        if (config == null || !config.path("exec").isTextual()) {
            throw FakeFailure.configError(name, "exec is required");
        }
        Service service = new Service(name, config);
        services.put(name, service);
        service.up = true;
        spawnIfIdle(service);
    }

    /** Writes the file and monitors it: what zinit does for each file in its dir when it boots. */
    synchronized void install(String name, ObjectNode config) {
        createFile(name, config);
        monitor(name);
    }

    synchronized void start(String name) {
        Service s = known(name);
        s.up = true;
        spawnIfIdle(s);
    }

    /** Sets the target Down and signals the process; returns at once, as zinit does. */
    synchronized void stop(String name) {
        Service s = known(name);
        s.up = false;
        if (s.process != null) {
            signal(s, s.config.path("signal").path("stop").asText("sigterm"));
        }
    }

    synchronized void forget(String name) {
        Service s = known(name);
        if (s.up || s.process != null) {
            throw FakeFailure.isUp(name);
        }
        services.remove(name);
    }

    synchronized void kill(String name, String signal) {
        Service s = known(name);
        if (!SIGNALS.containsKey(signal.toUpperCase(Locale.ROOT))) {
            throw FakeFailure.invalidSignal(name, signal);
        }
        if (s.process == null) {
            throw FakeFailure.isDown(name);
        }
        signal(s, signal);
    }

    synchronized Map<String, String> list() {
        Map<String, String> out = new LinkedHashMap<>();
        services.forEach((name, s) -> out.put(name, s.state));
        return out;
    }

    synchronized ObjectNode status(String name) {
        Service s = known(name);
        ObjectNode status = JsonNodeFactory.instance.objectNode()
                .put("name", name).put("pid", s.pid()).put("state", s.state).put("target", s.up ? "Up" : "Down");
        ObjectNode after = status.putObject("after");
        s.config.path("after").forEach(dep -> {
            Service d = services.get(dep.asText());
            after.put(dep.asText(), d == null ? "Unknown" : d.state);
        });
        return status;
    }

    synchronized ObjectNode stats(String name) {
        Service s = known(name);
        if (s.process == null) {
            throw FakeFailure.isDown(name);
        }
        ObjectNode stats = JsonNodeFactory.instance.objectNode()
                .put("name", name).put("pid", s.pid()).put("memory_usage", rss(s.pid())).put("cpu_usage", 0.0);
        var children = stats.putArray("children");
        s.process.children().forEach(c -> children.addObject()
                .put("pid", c.pid()).put("memory_usage", rss(c.pid())).put("cpu_usage", 0.0));
        return stats;
    }

    /** Buffered output lines, {@code [+] name: line} (stdout) and {@code [-] name: line} (stderr), oldest first. */
    List<String> logs(Optional<String> name) {
        synchronized (logs) {
            return logs.stream().filter(l -> name.isEmpty() || l.startsWith("[+] " + name.get() + ":")
                    || l.startsWith("[-] " + name.get() + ":")).toList();
        }
    }

    // ---- processes ----

    private void spawnIfIdle(Service s) {
        if (!s.up || s.process != null || services.get(s.name) != s) {
            return;
        }
        List<String> waiting = new ArrayList<>();
        s.config.path("after").forEach(dep -> {
            Service d = services.get(dep.asText());
            if (d == null || !(d.state.equals("Running") || d.state.equals("Success"))) {
                waiting.add(dep.asText());
            }
        });
        if (!waiting.isEmpty()) {
            s.state = "Blocked";
            later(RECHECK, s, () -> spawnIfIdle(s));
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(ShellWords.split(s.config.path("exec").asText()));
        s.config.path("env").fields().forEachRemaining(e -> pb.environment().put(e.getKey(), e.getValue().asText()));
        if (s.config.hasNonNull("dir")) {
            pb.directory(Path.of(s.config.get("dir").asText()).toFile());
        }
        boolean keepLogs = !s.config.path("log").asText("ring").equals("null");
        if (!keepLogs) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            Process p = pb.start();
            s.process = p;
            s.lastSignal = 0;
            s.state = s.config.hasNonNull("test") ? "Spawned" : "Running";
            if (keepLogs) {
                pump(p.getInputStream(), "[+] " + s.name + ": ");
                pump(p.getErrorStream(), "[-] " + s.name + ": ");
            }
            p.onExit().thenRun(() -> exited(s, p));
            if (s.config.hasNonNull("test")) {
                timer.schedule(() -> runTest(s, p), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            s.state = "Failure";
            log("[-] " + s.name + ": " + e.getMessage());
            later(respawnDelay, s, () -> spawnIfIdle(s));
        }
    }

    private synchronized void exited(Service s, Process p) {
        if (s.process != p) {
            return;
        }
        int code = p.exitValue();
        int pid = (int) p.pid();
        s.process = null;
        if (code == 0) {
            s.state = "Success";
        } else if (s.lastSignal != 0 && code == 128 + s.lastSignal) {
            s.state = "Error(Signaled(Pid(" + pid + "), " + signalName(s.lastSignal) + ", false))";
        } else {
            s.state = "Error(Exited(Pid(" + pid + "), " + code + "))";
        }
        if (s.up && !s.config.path("oneshot").asBoolean(false)) {
            later(respawnDelay, s, () -> spawnIfIdle(s));
        }
    }

    /** Runs the test command outside the lock; success moves Spawned to Running, failure tries again. */
    private void runTest(Service s, Process p) {
        synchronized (this) {
            if (s.process != p || !s.state.equals("Spawned")) {
                return;
            }
        }
        boolean ok;
        try {
            Process test = new ProcessBuilder(ShellWords.split(s.config.get("test").asText()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            ok = test.waitFor(2, TimeUnit.SECONDS) && test.exitValue() == 0;
            test.destroyForcibly();
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (s.process == p && s.state.equals("Spawned")) {
                if (ok) {
                    s.state = "Running";
                } else {
                    timer.schedule(() -> runTest(s, p), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /**
     * Signals the process and everything it started, as signalling a process group would: a
     * {@code sh -c 'a; b'} service must not leave {@code b} behind when it is stopped.
     */
    private void signal(Service s, String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        s.lastSignal = SIGNALS.getOrDefault(upper, 15);
        List<ProcessHandle> tree = new ArrayList<>(s.process.descendants().toList());
        tree.add(s.process.toHandle());
        switch (upper) {
            case "SIGKILL" -> tree.forEach(ProcessHandle::destroyForcibly);
            case "SIGTERM" -> tree.forEach(ProcessHandle::destroy);
            default -> {
                List<String> command = new ArrayList<>(List.of("kill", "-s", upper.substring(3)));
                tree.forEach(p -> command.add(Long.toString(p.pid())));
                try {
                    new ProcessBuilder(command).start().waitFor(2, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("cannot send " + upper, e);
                }
            }
        }
    }

    private void later(Duration delay, Service s, Runnable action) {
        timer.schedule(() -> {
            synchronized (this) {
                if (services.get(s.name) == s) {
                    action.run();
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pump(InputStream stream, String prefix) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log(prefix + line);
                }
            } catch (IOException e) {
                // the process went away
            }
        }, "fake-zinit-log");
        t.setDaemon(true);
        t.start();
    }

    private void log(String line) {
        synchronized (logs) {
            if (logs.size() == LOG_RING) {
                logs.removeFirst();
            }
            logs.addLast(line);
        }
    }

    private Service known(String name) {
        checkName(name);
        Service s = services.get(name);
        if (s == null) {
            throw FakeFailure.notFound(name);
        }
        return s;
    }

    private Path file(String name) {
        checkName(name);
        return configDir.resolve(name + ".yaml");
    }

    private static void checkName(String name) {
        if (name.isBlank() || name.contains("/") || name.contains("..") || name.chars().anyMatch(Character::isWhitespace)) {
            throw FakeFailure.invalidName(name);
        }
    }

    private static String signalName(int number) {
        return SIGNALS.entrySet().stream().filter(e -> e.getValue() == number).map(Map.Entry::getKey).findFirst().orElse("SIG" + number);
    }

    private static long rss(long pid) {
        try {
            String[] statm = Files.readString(Path.of("/proc", Long.toString(pid), "statm")).trim().split(" ");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Kills every process it started and waits for them, so no test leaves one behind. */
    @Override
    public void close() {
        List<Process> running = new ArrayList<>();
        synchronized (this) {
            for (Service s : services.values()) {
                s.up = false;
                if (s.process != null) {
                    s.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    s.process.destroyForcibly();
                    running.add(s.process);
                }
            }
            services.clear();
        }
        timer.shutdownNow();
        for (Process p : running) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
