package dev.herd.bench;

import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.zinit.ServiceState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/compare}: Herd side by side with its peers, in one run.
 * <ol>
 *   <li>A pool scaled 0 → 50 → 5 → 0 by Herd (desired-state edits), by a private supervisord
 *       ({@code numprocs} + {@code supervisorctl update}) and by a shell loop of {@code zinit} CLI
 *       calls: wall time until the system's own status shows exactly that many running workers,
 *       and whether the 5 that should stay kept their processes. The worker is {@code sleep} with
 *       an argument unique to the run, in all three: it costs nothing to start, so the figures are
 *       the supervisors' own, and its processes can be counted without matching anyone else's.</li>
 *   <li>Queue-driven reaction: {@code bin/bench scaling}'s figures, measured now, against KEDA's
 *       documented defaults (KEDA needs Kubernetes, which this machine does not have).</li>
 *   <li>Herd's CPU and resident memory at idle with 50 pools and 500 workers ({@code sleep}
 *       again: 500 reference workers polling Redis would load both cores themselves).</li>
 * </ol>
 */
public final class PeerComparison {
    private static final Duration WITHIN = Duration.ofMinutes(4);
    private static final int[] STEPS = {50, 5, 0};
    private static final int KEPT = 5;

    private final Path dir;
    private final String sleepArg = "100000." + (10000 + ThreadLocalRandom.current().nextInt(90000));
    private final PrivateRedis redis = PrivateRedis.start();

    /** One worker as a system's status shows it. */
    record Worker(String name, long pid, boolean running) {
    }

    /** A system under comparison: how it is told the count, and what its status says. */
    interface System extends AutoCloseable {
        String name();

        void scaleTo(int n) throws Exception;

        List<Worker> status() throws Exception;

        @Override
        void close();
    }

    /** The time to reach a count, and for a scale-in how many of the workers that should stay kept their process. */
    record Step(int from, int to, Duration took, int kept, int stayed) {
    }

    /** How long removed services may take to go once the processes match, before they count as parked. */
    private static final Duration PARKED_AFTER = Duration.ofSeconds(3);
    /** When the processes matched, for a step that ended with parked services (its time ends there). */
    private final List<Long> parkedEnds = new ArrayList<>();

    private PeerComparison(Path dir) {
        this.dir = dir;
    }

    public static void main(String... args) throws Exception {
        if (!PrivateHerd.built()) {
            java.lang.System.err.println("compare: " + PrivateHerd.jar() + " is missing; run ./mvnw -B package -DskipTests");
            java.lang.System.exit(2);
        }
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].equals("--rounds")) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (--rounds N)");
            }
            rounds = Integer.parseInt(args[i + 1]);
        }
        PeerComparison c = new PeerComparison(Files.createTempDirectory("herd-compare-"));
        try {
            c.run(rounds);
        } finally {
            c.redis.close();
        }
        java.lang.System.exit(0);
    }

    private void run(int rounds) throws Exception {
        machine();
        List<List<Step>> runs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (java.util.function.Supplier<System> make : List.<java.util.function.Supplier<System>>of(this::herd, this::supervisord, this::zinitLoop)) {
            try (System s = make.get()) {
                names.add(s.name());
                List<Step> steps = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    steps.addAll(scaleRun(s));
                }
                runs.add(steps);
            }
        }
        printScaling(names, runs, rounds);
        keda();
        idle(50, 10);
    }

    // ---- 1. scaling 0 -> 50 -> 5 -> 0 ---------------------------------------------------------

    private List<Step> scaleRun(System s) throws Exception {
        List<Step> steps = new ArrayList<>();
        int from = 0;
        for (int to : STEPS) {
            Map<String, Long> before = pids(s.status());
            long start = java.lang.System.nanoTime();
            s.scaleTo(to);
            parkedEnds.clear();
            List<Worker> now = awaitExactly(s, to, start);
            Duration took = Duration.ofNanos((parkedEnds.isEmpty() ? java.lang.System.nanoTime() : parkedEnds.get(0)) - start);
            int stayed = 0;
            int kept = 0;
            for (Worker w : now) {
                if (before.containsKey(w.name())) {
                    stayed++;
                    kept += before.get(w.name()) == w.pid() ? 1 : 0;
                }
            }
            steps.add(new Step(from, to, took, kept, stayed));
            java.lang.System.err.printf("compare: %s %d -> %d in %d ms (%d of %d that stayed kept their process)%n",
                    s.name(), from, to, took.toMillis(), kept, stayed);
            from = to;
            Thread.sleep(2000); // let the system settle before the next step
        }
        return steps;
    }

    /**
     * Waits until exactly {@code n} workers run, as each system's status says and as the processes
     * show, and the removed ones' services are gone; the running ones. Herd may keep a removed
     * worker's stopped service in Zinit (parked: deleting it would move a running service to
     * another slot): one still there {@link #PARKED_AFTER} after the processes matched counts as
     * parked, is reported, and the step ends when the processes matched.
     */
    private List<Worker> awaitExactly(System s, int n, long startNanos) throws Exception {
        long deadline = startNanos + WITHIN.toNanos();
        long matched = 0;
        while (true) {
            List<Worker> workers = s.status();
            List<Worker> running = workers.stream().filter(Worker::running).toList();
            boolean restStopped = workers.stream().filter(w -> !w.running()).allMatch(w -> w.pid() == 0);
            if (running.size() == n && restStopped && sleeps() == n) {
                long now = java.lang.System.nanoTime();
                matched = matched == 0 ? now : matched;
                if (workers.size() == n) {
                    return running;
                }
                if (now - matched > PARKED_AFTER.toNanos()) {
                    java.lang.System.err.printf("compare: %s keeps %d stopped services (parked)%n", s.name(), workers.size() - n);
                    parkedEnds.add(matched);
                    return running;
                }
            } else {
                matched = 0;
            }
            if (java.lang.System.nanoTime() > deadline) {
                throw new IllegalStateException(s.name() + ": " + n + " workers not reached within " + WITHIN + ": " + workers.size()
                        + " in its status, " + sleeps() + " processes");
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, Long> pids(List<Worker> workers) {
        Map<String, Long> pids = new LinkedHashMap<>();
        workers.forEach(w -> pids.put(w.name(), w.pid()));
        return pids;
    }

    /** Worker processes of this run, whoever started them. */
    private long sleeps() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)
                && p.info().arguments().map(a -> a.length == 1 && a[0].equals(sleepArg)).orElse(false)).count();
    }

    /** One row per step: the median over the rounds of each system, their ratios to Herd's, and the worst round. */
    private void printScaling(List<String> names, List<List<Step>> runs, int rounds) {
        java.lang.System.out.printf("%n### Scaling a pool 0 -> 50 -> 5 -> 0 (worker: `sleep`; time until the system's status shows exactly N running and the removed ones' services are gone (Herd: or parked, see below); median of %d rounds, max in brackets)%n%n", rounds);
        StringBuilder head = new StringBuilder("| step |");
        StringBuilder rule = new StringBuilder("| --- |");
        names.forEach(n -> {
            head.append(' ').append(n).append(" |");
            rule.append(" ---: |");
        });
        for (int i = 1; i < names.size(); i++) {
            head.append(' ').append(names.get(i)).append(" / ").append(names.get(0)).append(" |");
            rule.append(" ---: |");
        }
        java.lang.System.out.println(head);
        java.lang.System.out.println(rule);
        for (int step = 0; step < STEPS.length; step++) {
            int at = step;
            StringBuilder row = new StringBuilder("| " + runs.get(0).get(step).from() + " -> " + runs.get(0).get(step).to() + " |");
            List<Duration> medians = new ArrayList<>();
            for (List<Step> r : runs) {
                List<Duration> times = java.util.stream.IntStream.range(0, r.size()).filter(i -> i % STEPS.length == at)
                        .mapToObj(i -> r.get(i).took()).sorted().toList();
                medians.add(times.get(times.size() / 2));
                row.append(String.format(" %.2f s (%.2f) |", times.get(times.size() / 2).toMillis() / 1000.0, times.get(times.size() - 1).toMillis() / 1000.0));
            }
            for (int i = 1; i < medians.size(); i++) {
                row.append(String.format(" %.1f x |", (double) medians.get(i).toNanos() / medians.get(0).toNanos()));
            }
            java.lang.System.out.println(row);
        }
        StringBuilder kept = new StringBuilder("| 50 -> 5: workers that stayed and kept their process (all rounds) |");
        for (List<Step> r : runs) {
            int k = 0;
            int stayed = 0;
            for (int i = 1; i < r.size(); i += STEPS.length) {
                k += r.get(i).kept();
                stayed += r.get(i).stayed();
            }
            kept.append(String.format(" %d of %d |", k, stayed));
        }
        java.lang.System.out.println(kept.append(" |".repeat(runs.size() - 1)));
    }

    private System herd() {
        Fleet fleet = new Fleet(sleepArg);
        try {
            Path desired = Files.createDirectories(dir.resolve("herd-desired"));
            PrivateHerd herd = startHerd(fleet, desired, "herd-scaling");
            return new System() {
                public String name() {
                    return "Herd";
                }

                public void scaleTo(int n) throws IOException {
                    writePool(desired, "pool", n, "");
                }

                public List<Worker> status() {
                    return zinitStatus(fleet);
                }

                public void close() {
                    herd.stop();
                    fleet.close();
                }
            };
        } catch (IOException e) {
            fleet.close();
            throw new IllegalStateException(e);
        }
    }

    private static List<Worker> zinitStatus(Fleet fleet) {
        return fleet.client.list().await().atMost(Duration.ofSeconds(30)).stream().filter(s -> s.name().startsWith("pool-"))
                .map(s -> new Worker(s.name(), s.pid(), s.state() == ServiceState.RUNNING && s.pid() > 0)).toList();
    }

    /** The practical limit on Zinit: one CLI call per worker, from a shell loop, highest ordinal first when removing. */
    private System zinitLoop() {
        Fleet fleet = new Fleet(sleepArg);
        int[] current = {0};
        return new System() {
            public String name() {
                return "zinit CLI loop";
            }

            public void scaleTo(int n) throws Exception {
                String script = n > current[0]
                        ? "for ((i = $1; i < $2; i++)); do zinit add-service --name \"pool-$i\" --exec \"sleep $3\" --restart always >/dev/null; done"
                        // removing a service that still runs blocks zinit-server ~5 s (and the CLI times out):
                        // stop them all, wait until none of them runs, then remove, last ordinal first
                        : "for ((i = $1 - 1; i >= $2; i--)); do zinit stop \"pool-$i\" >/dev/null; done; "
                        + "until zinit list | awk -v lo=$2 '{ split($2, a, \"-\"); if (a[2] >= lo && ($3 == \"Running\" || $3 == \"Stopping\")) n++ } END { exit n > 0 }'; "
                        + "do sleep 0.05; done; "
                        + "for ((i = $1 - 1; i >= $2; i--)); do zinit remove \"pool-$i\" >/dev/null; done";
                shell(fleet.server.cliHome(), script, Integer.toString(current[0]), Integer.toString(n), sleepArg);
                current[0] = n;
            }

            public List<Worker> status() {
                return zinitStatus(fleet);
            }

            public void close() {
                fleet.close();
            }
        };
    }

    private void shell(Path home, String script, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", "set -e; " + script, "loop"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("loop.log").toFile());
        // the 0.3.9 CLI ignores -s and ZINIT_SOCKET; it finds the socket under $HOME (docs/zinit-protocol.md)
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", java.lang.System.getProperty("user.home") + "/.cargo/bin:" + java.lang.System.getenv("PATH"));
        Process p = pb.start();
        if (!p.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("shell loop failed: " + Files.readString(dir.resolve("loop.log")));
        }
    }

    /** A private supervisord (Debian's package): its own config, socket-less HTTP on loopback, no daemon. */
    private System supervisord() {
        try {
            Path home = Files.createDirectories(dir.resolve("supervisor"));
            Path confD = Files.createDirectories(home.resolve("conf.d"));
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path conf = home.resolve("supervisord.conf");
            Files.writeString(conf, """
                    [inet_http_server]
                    port=127.0.0.1:%d
                    [supervisord]
                    logfile=%s/supervisord.log
                    pidfile=%s/supervisord.pid
                    childlogdir=%s
                    nodaemon=true
                    [rpcinterface:supervisor]
                    supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
                    [supervisorctl]
                    serverurl=http://127.0.0.1:%d
                    [include]
                    files = %s/*.conf
                    """.formatted(port, home, home, home, port, confD));
            Process server = new ProcessBuilder(PrivateHerd.projectRoot().resolve("bin/lib/watchdog").toString(),
                    Long.toString(ProcessHandle.current().pid()), "supervisord", "-n", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("out.log").toFile()).start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI rpc = URI.create("http://127.0.0.1:" + port + "/RPC2");
            long deadline = java.lang.System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!answers(http, rpc)) {
                if (java.lang.System.nanoTime() > deadline || !server.isAlive()) {
                    throw new IllegalStateException("supervisord did not start: " + Files.readString(home.resolve("out.log")));
                }
                Thread.sleep(50);
            }
            return new System() {
                public String name() {
                    return "supervisord";
                }

                public void scaleTo(int n) throws Exception {
                    Path program = confD.resolve("pool.conf");
                    if (n == 0) {
                        Files.deleteIfExists(program); // numprocs must be at least 1: no workers is no program
                    } else {
                        Path tmp = confD.resolve("pool.conf.new");
                        Files.writeString(tmp, """
                                [program:pool]
                                command=sleep %s
                                process_name=pool-%%(process_num)d
                                numprocs=%d
                                autostart=true
                                autorestart=true
                                startsecs=0
                                stopwaitsecs=5
                                """.formatted(sleepArg, n));
                        Files.move(tmp, program, StandardCopyOption.ATOMIC_MOVE);
                    }
                    Process ctl = new ProcessBuilder("supervisorctl", "-c", conf.toString(), "update").redirectErrorStream(true)
                            .redirectOutput(home.resolve("ctl.log").toFile()).start();
                    if (!ctl.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS) || ctl.exitValue() != 0) {
                        throw new IllegalStateException("supervisorctl update failed: " + Files.readString(home.resolve("ctl.log")));
                    }
                }

                public List<Worker> status() throws Exception {
                    return supervisorStatus(http, rpc);
                }

                public void close() {
                    server.destroy(); // the watchdog stops supervisord, which stops its programs
                    try {
                        server.waitFor(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException("cannot run supervisord (bin/install installs Debian's supervisor): " + e.getMessage(), e);
        }
    }

    private static final Pattern STRUCT = Pattern.compile("<struct>(.*?)</struct>", Pattern.DOTALL);

    private static List<Worker> supervisorStatus(HttpClient http, URI rpc) throws Exception {
        String body = http.send(HttpRequest.newBuilder(rpc).timeout(Duration.ofSeconds(5)).header("content-type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<?xml version=\"1.0\"?><methodCall><methodName>supervisor.getAllProcessInfo</methodName><params/></methodCall>"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        List<Worker> workers = new ArrayList<>();
        Matcher m = STRUCT.matcher(body);
        while (m.find()) {
            String s = m.group(1);
            workers.add(new Worker(member(s, "name"), Long.parseLong(member(s, "pid")), member(s, "statename").equals("RUNNING")));
        }
        return workers;
    }

    private static String member(String struct, String name) {
        Matcher m = Pattern.compile("<name>" + name + "</name>\\s*<value>(?:<(?:string|int|i4)>)?([^<]*)").matcher(struct);
        return m.find() ? m.group(1).trim() : "";
    }

    private static boolean answers(HttpClient http, URI rpc) {
        try {
            supervisorStatus(http, rpc);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- 2. queue-driven reaction vs KEDA -------------------------------------------------------

    private void keda() throws Exception {
        java.lang.System.err.println("compare: running bin/bench scaling (ScalingBench) for the queue-driven figures");
        Process p = new ProcessBuilder(Path.of(java.lang.System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                java.lang.System.getProperty("java.class.path"), ScalingBench.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(5, TimeUnit.MINUTES);
        long burst = median(out, "burst of 500");
        long toZero = median(out, "queue emptied");
        java.lang.System.out.println("\n### Queue-driven scaling: Herd (measured now, `bin/bench scaling`) against KEDA's documented defaults\n");
        java.lang.System.out.println("KEDA needs Kubernetes, which this machine cannot run; its figures are its documented defaults "
                + "(pollingInterval 30 s, HPA sync 15 s, cooldownPeriod 300 s), not measurements.\n");
        java.lang.System.out.println("| reaction | Herd (median, measured) | KEDA default (documented) | KEDA / Herd |");
        java.lang.System.out.println("| --- | ---: | ---: | ---: |");
        java.lang.System.out.printf("| burst at a pool at zero -> scale decision | %d ms | up to 30 s (pollingInterval; 15 s on average) | %.0f x (worst), %.0f x (average) |%n",
                burst, 30_000.0 / Math.max(1, burst), 15_000.0 / Math.max(1, burst));
        java.lang.System.out.printf("| 1 -> N beyond activation | same decision (one rule) | + up to 15 s (HPA sync) | |%n");
        java.lang.System.out.printf("| empty queue -> back to zero | %d ms (cooldown 2 s, down window 2 s in the bench; defaults 30 s / 60 s) | 300 s (cooldownPeriod) | %.0f x (bench settings); about 5 x with Herd's defaults (cooldown 30 s, down window 60 s: about 60 s, derived, not measured) |%n",
                toZero, 300_000.0 / Math.max(1, toZero));
        java.lang.System.out.println("\nScalingBench's figures:\n```");
        out.lines().filter(l -> l.startsWith("watch ") || l.startsWith("burst of") || l.startsWith("queue emptied")).forEach(java.lang.System.out::println);
        java.lang.System.out.println("```");
    }

    private static long median(String out, String line) {
        Matcher m = Pattern.compile(Pattern.quote(line) + ".*?median (\\d+) ms").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("ScalingBench printed no '" + line + "' figure:\n" + out);
        }
        return Long.parseLong(m.group(1));
    }

    // ---- 3. idle cost at 50 pools, 500 workers -----------------------------------------------------

    private void idle(int pools, int perPool) throws Exception {
        try (Fleet fleet = new Fleet(sleepArg)) {
            Path desired = Files.createDirectories(dir.resolve("idle-desired"));
            PrivateHerd herd = startHerd(fleet, desired, "herd-idle");
            try {
                long start = java.lang.System.nanoTime();
                for (int i = 0; i < pools; i++) {
                    writePool(desired, "pool" + i, perPool, "  autoscaling:\n    minReplicas: " + perPool + "\n    maxReplicas: " + (2 * perPool) + "\n");
                }
                Duration up = fleet.awaitRunning((long) pools * perPool, start, Duration.ofMinutes(6));
                Thread.sleep(15_000); // settle: last passes, JIT of the idle path
                long pid = herd.pid();
                long[] t0 = cpuTicks(pid);
                long w0 = java.lang.System.nanoTime();
                Thread.sleep(60_000);
                long[] t1 = cpuTicks(pid);
                double seconds = (java.lang.System.nanoTime() - w0) / 1e9;
                double cpu = (t1[0] - t0[0]) / 100.0; // USER_HZ is 100 on Linux
                long rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
                java.lang.System.out.printf("%n### Herd at idle: %d pools (autoscaled, min %d), %d workers (`sleep`)%n%n", pools, perPool, pools * perPool);
                java.lang.System.out.println("| figure | value |\n| --- | ---: |");
                java.lang.System.out.printf("| time from %d pool files to %d workers Running | %.1f s |%n", pools, pools * perPool, up.toMillis() / 1000.0);
                java.lang.System.out.printf("| Herd CPU over %.0f s idle (utime+stime from /proc/PID/stat) | %.2f s = %.1f %% of one core |%n",
                        seconds, cpu, 100 * cpu / seconds);
                java.lang.System.out.printf("| Herd resident memory (VmRSS) | %d MiB |%n", rss / 1024);
            } finally {
                herd.stop();
            }
        }
    }

    /** {utime + stime} of a process, in clock ticks. */
    private static long[] cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12])};
    }

    // ---- shared ---------------------------------------------------------------------------------

    private PrivateHerd startHerd(Fleet fleet, Path desired, String name) {
        return PrivateHerd.launch(Map.of(
                "herd.zinit.socket", fleet.server.socket().toString(),
                "quarkus.redis.hosts", redis.url(),
                "herd.desired-state.dir", desired.toString(),
                "herd.controller-id", "compare",
                "herd.home", dir.toString()), List.of("-Xmx256m"), dir.resolve(name + ".log")).awaitUp(Duration.ofSeconds(60));
    }

    /** The desired-state edit: written aside, then renamed into place, as a checkout does. */
    private void writePool(Path desired, String name, int replicas, String extra) throws IOException {
        Path tmp = desired.resolve("." + name + ".yaml.tmp");
        Files.writeString(tmp, "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: " + name + "\nspec:\n  replicas: " + replicas
                + "\n" + extra + "  template:\n    exec: [\"sleep\", \"" + sleepArg + "\"]\n    shutdownTimeout: 5s\n");
        Files.move(tmp, desired.resolve(name + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void machine() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo \"nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); "
                + "$(supervisord --version | sed 's/^/supervisord /'); $(zinit-server --version 2>/dev/null || echo zinit-server 0.3.9)\"")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        java.lang.System.out.println("## Herd and its peers (bin/compare)\n\nMachine: " + out);
    }
}
