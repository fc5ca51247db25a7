package dev.herd.bench;

import dev.herd.reconcile.DesiredPool;
import dev.herd.reconcile.DesiredSource;
import dev.herd.reconcile.Ownership;
import dev.herd.reconcile.PoolIntent;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.ReconcileSettings;
import dev.herd.reconcile.ZinitObserver;
import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/bench reconcile}: Herd (the packaged jar, as bin/up runs it) against a shell loop
 * driving the zinit CLI, on fresh private zinit-servers; then one reconcile pass over 1000 owned,
 * unchanged services, and Herd's resident memory at 1000 workers. Prints a Markdown section.
 *
 * <p>Usage: {@code ReconcileBench [--sizes 10,100,500] [--steady 1000] [--passes 500]}
 */
public final class ReconcileBench {
    private static final String CONTROLLER = "bench";
    private static final Duration CONVERGE = Duration.ofMinutes(3);

    private final Path dir;
    private final String sleepArg = "100000." + (10000 + ThreadLocalRandom.current().nextInt(90000));
    private final PrivateRedis redis = PrivateRedis.start();
    /** The desired-state folder of the Herd running now (a fresh one per Herd). */
    private Path currentDesired;

    private ReconcileBench(Path dir) {
        this.dir = dir;
    }

    public static void main(String... args) throws Exception {
        List<Integer> sizes = List.of(10, 100, 500);
        int steady = 1000;
        int passes = 500;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sizes" -> sizes = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--steady" -> steady = Integer.parseInt(args[i + 1]);
                case "--passes" -> passes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--sizes, --steady, --passes)");
            }
        }
        if (!PrivateHerd.built()) {
            System.err.println("bench: " + PrivateHerd.jar() + " is missing; run ./mvnw -B package -DskipTests");
            System.exit(2);
        }
        ReconcileBench bench = new ReconcileBench(Files.createTempDirectory("herd-bench-"));
        try {
            bench.run(sizes, steady, passes);
        } finally {
            bench.redis.close();
        }
        System.exit(0); // the loop's and clients' threads must not keep the JVM up
    }

    private void run(List<Integer> sizes, int steady, int passes) throws Exception {
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            Duration shell = baseline(n);
            Duration herd = herd(n);
            rows.add(String.format("| %d | %s | %s | %.2f |", n, Percentiles.ms(herd), Percentiles.ms(shell),
                    (double) herd.toNanos() / shell.toNanos()));
            System.err.printf("bench: %d workers: Herd %s, shell loop %s%n", n, Percentiles.ms(herd), Percentiles.ms(shell));
        }
        System.out.println("Edit to all workers Running (one run each, fresh zinit-server):");
        System.out.println();
        System.out.println("| workers | Herd (file edit -> all Running) | zinit CLI shell loop | Herd / shell |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
        System.out.println();
        steady(steady, passes);
    }

    /** A shell loop of {@code zinit add-service}, one per worker, then the same wait as for Herd. */
    private Duration baseline(int n) throws Exception {
        try (Fleet fleet = new Fleet(sleepArg)) {
            Path script = dir.resolve("baseline.sh");
            Files.writeString(script, """
                    set -e
                    for ((i = 0; i < $1; i++)); do
                      zinit add-service --name "pool-$i" --exec "sleep $2" --restart always --persist \\
                        -e HERD_OWNER=bench -e HERD_POOL=pool -e HERD_ORDINAL=$i -e HERD_TEMPLATE_HASH=shell >/dev/null
                    done
                    """);
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), Integer.toString(n), sleepArg)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("baseline.log").toFile());
            // the 0.3.9 CLI ignores -s and ZINIT_SOCKET; it finds the socket under $HOME (docs/zinit-protocol.md)
            pb.environment().put("HOME", fleet.server.cliHome().toString());
            pb.environment().put("PATH", System.getProperty("user.home") + "/.cargo/bin:" + System.getenv("PATH"));
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(CONVERGE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("baseline script failed: " + Files.readString(dir.resolve("baseline.log")));
            }
            return fleet.awaitRunning(n, start, CONVERGE);
        }
    }

    /** Herd running on an empty desired state; the pool file appears (atomically) and the clock runs. */
    private Duration herd(int n) throws Exception {
        try (Fleet fleet = new Fleet(sleepArg); PrivateHerd herd = startHerd(fleet, "herd-" + n)) {
            Thread.sleep(1500); // let it settle: first passes, JIT of the idle path
            long start = System.nanoTime();
            writePool(n);
            Duration took = fleet.awaitRunning(n, start, CONVERGE);
            herd.stop(); // the default policy leaves the workers; Fleet stops them without orphans
            return took;
        }
    }

    private void steady(int n, int passes) throws Exception {
        try (Fleet fleet = new Fleet(sleepArg)) {
            Duration converge;
            long rssKb;
            String herdMean;
            try (PrivateHerd herd = startHerd(fleet, "herd-steady")) {
                Thread.sleep(1500);
                long start = System.nanoTime();
                writePool(n);
                converge = fleet.awaitRunning(n, start, CONVERGE);
                Thread.sleep(5000); // a few idle passes, then read the figures of an idle fleet
                double[] before = passMetric(herd);
                Thread.sleep(15000);
                double[] after = passMetric(herd);
                herdMean = after[0] > before[0]
                        ? String.format("%.1f ms over %d passes", (after[1] - before[1]) / (after[0] - before[0]) * 1000, (long) (after[0] - before[0]))
                        : "n/a";
                rssKb = rssKb(herd.pid());
                herd.stop();
            }
            Percentiles list = timed(200, () -> fleet.client.list().await().atMost(Duration.ofSeconds(10)));
            ZinitObserver observer = new ZinitObserver(fleet.client, CONTROLLER, true);
            Percentiles observe = timed(200, () -> observer.observe().await().atMost(Duration.ofSeconds(10)));
            Samples loop = inProcessPasses(fleet, n, passes);
            System.out.printf("%d workers: Herd brought them to Running in %s.%n%n", n, Percentiles.ms(converge));
            System.out.println("| figure | value |");
            System.out.println("| --- | ---: |");
            System.out.printf("| idle pass over %d owned services, p50 (%d passes) | %s |%n", n, loop.passes().count(), Percentiles.ms(loop.passes().p50()));
            System.out.printf("| idle pass, p99 | %s |%n", Percentiles.ms(loop.passes().p99()));
            System.out.printf("| idle pass, max | %s |%n", Percentiles.ms(loop.passes().max()));
            System.out.printf("| actions taken in those passes | %d |%n", loop.actions());
            System.out.printf("| of which observing (ZinitObserver: list, labels cached), p50 / p99 | %s / %s |%n", Percentiles.ms(observe.p50()), Percentiles.ms(observe.p99()));
            System.out.printf("| of which Zinit `service.list` round trip alone, p50 / p99 | %s / %s |%n", Percentiles.ms(list.p50()), Percentiles.ms(list.p99()));
            System.out.printf("| Herd jar, herd_reconcile_pass mean over 15 s idle (1 s interval) | %s |%n", herdMean);
            System.out.printf("| Herd jar resident memory (VmRSS) at %d workers | %d MiB |%n", n, rssKb / 1024);
        }
    }

    private record Samples(Percentiles passes, int actions) {
    }

    /**
     * Passes of the same ReconcileLoop class, in this JVM, against the same fleet (the jar's own
     * metric is a histogram with coarse buckets; here every pass is timed exactly).
     */
    private Samples inProcessPasses(Fleet fleet, int n, int passes) throws InterruptedException {
        String hash = fleet.client.env("pool-0").await().atMost(Duration.ofSeconds(10)).get(Ownership.TEMPLATE_HASH);
        DesiredPool pool = new DesiredPool("pool", n, hash, 0, 0, List.of());
        PoolIntent intent = new PoolIntent(pool, o -> ServiceSpec.of("pool-" + o, new Command.Argv(List.of("sleep", sleepArg))), 1, List.of());
        DesiredSource desired = new DesiredSource() {
            @Override
            public Optional<List<PoolIntent>> current() {
                return Optional.of(List.of(intent));
            }

            @Override
            public void onChange(Runnable listener) {
            }
        };
        ReconcileSettings settings = new ReconcileSettings(CONTROLLER, Duration.ofMillis(10), 16, Duration.ofSeconds(30),
                Duration.ofMillis(200), Duration.ofSeconds(60), false, true, ReconcileSettings.DEFAULT_BUDGET);
        ReconcileLoop loop = new ReconcileLoop(settings, fleet.client, desired, Clock.systemUTC());
        int warmup = 100;
        List<Duration> samples = new CopyOnWriteArrayList<>();
        AtomicInteger actions = new AtomicInteger();
        loop.onPass(r -> {
            if (r.zinitReachable()) {
                samples.add(r.duration());
                actions.addAndGet(r.outcomes().size());
            }
        });
        loop.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (samples.size() < warmup + passes && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        loop.stop();
        List<Duration> measured = samples.size() > warmup ? samples.subList(warmup, samples.size()) : samples;
        return new Samples(Percentiles.of(measured), actions.get());
    }

    /** Runs {@code call} 50 times to warm up, then {@code count} times timed. */
    private static Percentiles timed(int count, Runnable call) {
        List<Duration> samples = new ArrayList<>();
        for (int i = 0; i < count + 50; i++) {
            long t = System.nanoTime();
            call.run();
            if (i >= 50) {
                samples.add(Duration.ofNanos(System.nanoTime() - t));
            }
        }
        return Percentiles.of(samples);
    }

    private PrivateHerd startHerd(Fleet fleet, String name) throws IOException {
        Path desired = dir.resolve(name);
        currentDesired = Files.createDirectories(desired);
        return PrivateHerd.launch(Map.of(
                "herd.zinit.socket", fleet.server.socket().toString(),
                "quarkus.redis.hosts", redis.url(),
                "herd.desired-state.dir", desired.toString(),
                "herd.controller-id", CONTROLLER,
                "herd.home", dir.toString()), List.of(), dir.resolve(name + ".log")).awaitUp(Duration.ofSeconds(60));
    }

    /** The desired-state edit: the pool file appears at once (written aside, then renamed), as a git checkout does. */
    private void writePool(int n) throws IOException {
        Path tmp = dir.resolve("pool.yaml.new");
        Files.writeString(tmp, "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: pool\nspec:\n  scriptType: pool\n  replicas: "
                + n + "\n  template:\n    exec: [\"sleep\", \"" + sleepArg + "\"]\n");
        Files.move(tmp, currentDesired.resolve("pool.yaml"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** {count, sum in seconds} of Herd's herd_reconcile_pass timer. */
    private static double[] passMetric(PrivateHerd herd) {
        String metrics = herd.get("/q/metrics").orElseThrow(() -> new IllegalStateException("no /q/metrics"));
        double count = 0;
        double sum = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith("herd_reconcile_pass_seconds_count")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("herd_reconcile_pass_seconds_sum")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {count, sum};
    }

    private static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    }
}
