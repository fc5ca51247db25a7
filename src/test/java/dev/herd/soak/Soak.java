package dev.herd.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.testing.PrivateHerd;
import dev.herd.zinit.ServiceStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * {@code bin/soak [--minutes N] [--seed S]}: Herd (the packaged jar) with a durable private Redis,
 * a private zinit-server and reference workers, under a seeded random mix of desired-state edits,
 * job bursts and faults, for N minutes (default 10). After each fault it waits for the fleet to
 * converge and records how long that took (the bound is {@link #BOUND}); after every action it
 * checks the foreign services; Herd's memory is sampled throughout. At the end it lets the jobs
 * drain and judges every one. Prints a summary; exits 1 on any violation. docs/RELIABILITY.md.
 */
public final class Soak {
    static final Duration BOUND = Duration.ofSeconds(90);
    static final Duration DRAIN = Duration.ofMinutes(3);
    /** Herd is not killed in the last part of the run, so the last Herd process lives long enough to judge its memory. */
    static final double NO_HERD_KILL_AFTER = 0.6;

    record Options(Duration length, long seed, boolean keep) {
        static Options parse(String... args) {
            Duration length = Duration.ofMinutes(10);
            long seed = 1;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--minutes" -> length = Duration.ofSeconds(Math.round(Double.parseDouble(args[++i]) * 60));
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--minutes N, --seed S, --keep)");
                }
            }
            return new Options(length, seed, keep);
        }
    }

    /** Convergence times of one kind of action. */
    record Converged(Action action, Duration took) {
    }

    record Result(List<String> violations, String summary) {
        boolean passed() {
            return violations.isEmpty();
        }
    }

    private final Options options;
    private final PrintStream log;
    private final Random random;
    private final SoakFleet fleet;
    private final JobLedger jobs;
    private final List<Converged> converged = new ArrayList<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Map<Action, Integer> skipped = new EnumMap<>(Action.class);
    private final long startNanos = System.nanoTime();
    private Map<String, Integer> foreignPids;
    private Map<String, String> foreignConfigs;
    private int foreignChecks;
    private int bursts;
    private int invalidFlagged;

    private Soak(Options options, PrintStream log, Path dir) throws IOException {
        this.options = options;
        this.log = log;
        this.random = new Random(options.seed());
        this.fleet = new SoakFleet(dir);
        this.jobs = new JobLedger(dir.resolve("runs"), fleet.resp);
    }

    public static void main(String... args) throws Exception {
        Options options = Options.parse(args);
        if (!PrivateHerd.built()) {
            System.err.println("soak: " + PrivateHerd.jar() + " is missing; run ./mvnw -B package -DskipTests");
            System.exit(2);
        }
        Result result = run(options, System.out);
        System.out.println(result.summary());
        System.exit(result.passed() ? 0 : 1); // the clients' threads must not keep the JVM up
    }

    /** Runs the soak; progress lines go to {@code log}. */
    public static Result run(Options options, PrintStream log) throws Exception {
        Path dir = Files.createTempDirectory("herd-soak-");
        Soak soak = new Soak(options, log, dir);
        log.printf("soak: %s, seed %d, files in %s%n", options.length(), options.seed(), dir);
        Result result;
        try (soak.fleet) {
            result = soak.drive();
        }
        if (result.passed() && !options.keep()) {
            deleteTree(dir);
        } else {
            log.println("soak: logs kept in " + dir);
        }
        return result;
    }

    private Result drive() throws Exception {
        fleet.writeInitialPools();
        fleet.createForeignServices();
        fleet.startHerd();
        awaitConverged("start", Optional.empty(), System.nanoTime(), () -> Optional.empty());
        foreignPids = fleet.foreignPids().orElseThrow(() -> new IllegalStateException("foreign services do not run"));
        foreignConfigs = fleet.foreignConfigs();
        Supplier<Optional<MemorySampler.Target>> target = () -> Optional.ofNullable(fleet.herd()).filter(PrivateHerd::isAlive)
                .flatMap(h -> { try { return Optional.of(new MemorySampler.Target(fleet.herdIncarnation(), h.pid(), () -> h.get("/q/metrics"))); }
                                catch (IllegalStateException gone) { return Optional.empty(); } });
        try (MemorySampler memory = new MemorySampler(target, 2000, 2)) {
            long end = startNanos + options.length().toNanos();
            Deque<Action> deck = new ArrayDeque<>();
            while (System.nanoTime() < end) {
                if (random.nextInt(100) < 60) {
                    burst();
                }
                if (deck.isEmpty()) {
                    List<Action> all = new ArrayList<>(Arrays.asList(Action.values()));
                    Collections.shuffle(all, random);
                    deck.addAll(all);
                }
                Action action = deck.poll();
                if (action == Action.KILL_HERD && System.nanoTime() > startNanos + (long) (options.length().toNanos() * NO_HERD_KILL_AFTER)) {
                    skipped.merge(action, 1, Integer::sum);
                    continue;
                }
                perform(action);
                checkForeign(action);
                Thread.sleep(500 + random.nextInt(2500));
            }
            drain();
            Optional<MemoryVerdict> verdict = MemoryVerdict.of(memory.samples());
            verdict.flatMap(MemoryVerdict::growth).ifPresent(this::violate);
            if (verdict.isEmpty() && memory.samples().size() >= 4 * MemoryVerdict.MIN_SAMPLES
                    && memory.samples().stream().noneMatch(s -> s.liveHeapBytes() >= 0)) {
                violate("Herd's live heap could not be read once (attach to its JVM failed), so its memory went unjudged");
            }
            return new Result(List.copyOf(violations), SoakSummary.render(options, converged, skipped, jobs.tally(), bursts,
                    invalidFlagged, foreignChecks, fleet.strays("StrayKilled"), fleet.strays("StrayFrozen"), verdict, memory.samples(), violations));
        }
    }

    // ---- actions -------------------------------------------------------------------------------

    private void burst() {
        int count = 5 + random.nextInt(36);
        String pool = random.nextInt(4) == 0 ? SoakFleet.FIXED : SoakFleet.AUTO;
        boolean api = random.nextBoolean() && fleet.herd() != null && fleet.herd().isAlive();
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            long millis = 100 + random.nextInt(1400);
            accepted += (api ? jobs.submitViaApi(fleet.herd(), pool, millis) : jobs.submitViaRedis(pool, millis)) ? 1 : 0;
        }
        bursts++;
        progress("burst of %d jobs into %s via %s (%d accepted)", count, pool, api ? "the jobs API" : "Redis", accepted);
    }

    private void perform(Action action) throws Exception {
        switch (action) {
            case EDIT_REPLICAS -> {
                int replicas = 1 + random.nextInt(5);
                fleet.setFixedReplicas(replicas);
                awaitConverged(action + " to " + replicas, Optional.of(action), System.nanoTime(), Optional::empty);
            }
            case EDIT_TEMPLATE -> {
                fleet.bumpTemplate();
                awaitConverged(action.toString(), Optional.of(action), System.nanoTime(), Optional::empty);
            }
            case EDIT_INVALID -> invalidEdit();
            case KILL_WORKER, FREEZE_WORKER -> hitWorker(action);
            case KILL_HERD -> {
                long t0 = System.nanoTime();
                fleet.herd().kill();
                Thread.sleep(random.nextInt(2000));
                fleet.startHerd();
                awaitConverged(action.toString(), Optional.of(action), t0, Optional::empty);
            }
            case HOST_RESTART -> {
                long t0 = System.nanoTime();
                fleet.zinit.crashHost();
                Thread.sleep(1000 + random.nextInt(2000));
                fleet.zinit.launch();
                awaitConverged(action.toString(), Optional.of(action), t0, Optional::empty);
            }
            case ZINIT_RESTART -> {
                long t0 = System.nanoTime();
                fleet.zinit.stop();
                fleet.zinit.launch();
                awaitConverged(action.toString(), Optional.of(action), t0, Optional::empty);
            }
            case REDIS_RESTART -> {
                long t0 = System.nanoTime();
                fleet.redis.stop();
                Thread.sleep(1000 + random.nextInt(4000));
                fleet.redis.launch();
                awaitConverged(action.toString(), Optional.of(action), t0, Optional::empty);
            }
        }
    }

    /** Kills or freezes one reference worker; converged once its service runs a new process. */
    private void hitWorker(Action action) throws Exception {
        String pool = random.nextBoolean() ? SoakFleet.FIXED : SoakFleet.AUTO;
        List<ServiceStatus> candidates = fleet.services().map(s -> SoakFleet.of(pool, s)).orElse(List.of())
                .stream().filter(SoakFleet::running).toList();
        if (candidates.isEmpty()) {
            skipped.merge(action, 1, Integer::sum);
            return;
        }
        ServiceStatus victim = candidates.get(random.nextInt(candidates.size()));
        long pid = fleet.workerPid(victim.name());
        if (pid == 0) {
            skipped.merge(action, 1, Integer::sum);
            return;
        }
        long t0 = System.nanoTime();
        signal(action == Action.KILL_WORKER ? "KILL" : "STOP", pid);
        progress("%s: %s (pid %d)", action.label, victim.name(), pid);
        try {
            awaitConverged(action + " " + victim.name(), Optional.of(action), t0, () -> {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    return Optional.of("worker process " + pid + " of " + victim.name() + " still exists");
                }
                Optional<ServiceStatus> now = fleet.services().flatMap(l -> l.stream().filter(s -> s.name().equals(victim.name())).findFirst());
                return now.isPresent() && now.get().pid() == victim.pid() ? Optional.of(victim.name() + " still has its old pid") : Optional.empty();
            });
        } finally {
            if (action == Action.FREEZE_WORKER && ProcessHandle.of(pid).isPresent()) {
                signal("CONT", pid); // do not leave a frozen process behind whatever happened
            }
        }
    }

    /**
     * Writes one of four kinds of bad desired state, checks for a few seconds that nothing that runs
     * is disturbed (same fixed-pool services with the same pids, same desired count), then puts the
     * good file back.
     */
    private void invalidEdit() throws Exception {
        Map<String, Integer> before = fixedPids();
        int kind = random.nextInt(4);
        String what;
        switch (kind) {
            case 0 -> {
                what = "truncated YAML";
                String good = fleet.fixedYaml(fleet.fixedReplicas(), 0);
                fleet.write(SoakFleet.FIXED + ".yaml", good.substring(0, good.indexOf("template:") + 12) + "\n  [unclosed");
            }
            case 1 -> {
                what = "unknown field";
                fleet.write(SoakFleet.FIXED + ".yaml", fleet.fixedYaml(fleet.fixedReplicas() + 1, 99).replace("replicas:", "replica:"));
            }
            case 2 -> {
                what = "replicas -3";
                fleet.write(SoakFleet.FIXED + ".yaml", fleet.fixedYaml(-3, 99));
            }
            default -> {
                what = "second pool claiming the fixed pool's script type";
                fleet.write("soak-dup.yaml", "apiVersion: herd/v1\nkind: WorkerPool\nmetadata:\n  name: soak-dup\nspec:\n  scriptType: "
                        + SoakFleet.FIXED + "\n  replicas: 2\n  template:\n    exec: [\"sleep\", \"600\"]\n");
            }
        }
        progress("invalid edit: %s", what);
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        boolean flagged = false;
        while (System.nanoTime() < until) {
            Thread.sleep(250);
            Map<String, Integer> now = fixedPids();
            if (!now.isEmpty() && !before.isEmpty() && !now.equals(before)) {
                violate("invalid edit (" + what + ") disturbed the fixed pool: services and pids " + before + " became " + now);
                break;
            }
            flagged |= fleet.pools().map(p -> p.getOrDefault(SoakFleet.FIXED, null)).map(Soak::configInvalid).orElse(false);
        }
        invalidFlagged += flagged ? 1 : 0;
        fleet.delete("soak-dup.yaml");
        long t0 = System.nanoTime();
        fleet.restoreFixed();
        awaitConverged("invalid edit restored", Optional.of(Action.EDIT_INVALID), t0, Optional::empty);
    }

    private static boolean configInvalid(JsonNode pool) {
        if (pool == null) {
            return false;
        }
        for (JsonNode c : pool.path("conditions")) {
            if (c.path("type").asText().equals("ConfigInvalid") && c.path("status").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Integer> fixedPids() {
        Map<String, Integer> pids = new java.util.TreeMap<>();
        fleet.services().ifPresent(l -> SoakFleet.of(SoakFleet.FIXED, l).forEach(s -> pids.put(s.name(), s.pid())));
        return pids;
    }

    // ---- invariants ----------------------------------------------------------------------------

    /**
     * Polls until the fleet is as desired and {@code extra} holds, at most {@link #BOUND}; records
     * the time since {@code t0} under {@code kind}, or a violation.
     */
    private void awaitConverged(String what, Optional<Action> kind, long t0, Supplier<Optional<String>> extra) throws InterruptedException {
        long deadline = t0 + BOUND.toNanos();
        Optional<String> missing = Optional.of("not looked yet");
        while (System.nanoTime() < deadline) {
            missing = FleetCheck.notConverged(fleet).or(extra);
            if (missing.isEmpty()) {
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                kind.ifPresent(k -> converged.add(new Converged(k, took)));
                progress("%s: converged in %d ms", what, took.toMillis());
                return;
            }
            Thread.sleep(100);
        }
        violate(what + ": not converged within " + BOUND.toSeconds() + " s: " + missing.get());
        dumpState();
    }

    /** Foreign services: same config file always; same pid unless Zinit itself restarted them. */
    private void checkForeign(Action action) throws IOException, InterruptedException {
        foreignChecks++;
        if (!fleet.foreignConfigs().equals(foreignConfigs)) {
            violate("after " + action + ": a foreign service's Zinit file changed: " + fleet.foreignConfigs());
        }
        Optional<Map<String, Integer>> now = fleet.foreignPids();
        if (now.isEmpty()) {
            violate("after " + action + ": a foreign service does not run: " + fleet.services().orElse(List.of()).stream()
                    .filter(s -> SoakFleet.FOREIGN.contains(s.name())).toList());
            return;
        }
        if (action.restartsZinit()) {
            foreignPids = now.get(); // Zinit started them afresh; from here on these must stay
        } else if (!now.get().equals(foreignPids)) {
            violate("after " + action + ": foreign services were restarted: pids " + foreignPids + " became " + now.get());
            foreignPids = now.get();
        }
    }

    /** After the last action: every job must end (finished, or failed with a reason) within {@link #DRAIN}. */
    private void drain() throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + DRAIN.toNanos();
        JobLedger.Tally tally = jobs.tally();
        while (!tally.allDone() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            tally = jobs.tally();
        }
        progress("drain: %d jobs, %d pending after %d s", tally.submitted, tally.pending, (System.nanoTime() - t0) / 1_000_000_000);
        awaitConverged("end", Optional.empty(), System.nanoTime(), Optional::empty);
        tally.violations.forEach(this::violate);
        if (!tally.allDone()) {
            violate(tally.pending + " jobs neither finished nor failed " + DRAIN.toSeconds() + " s after the last action (lost or stuck): "
                    + tally.pendingStatuses + "; e.g. " + tally.pendingIds);
        }
        checkForeign(Action.EDIT_REPLICAS);
    }

    private void violate(String what) {
        violations.add(what);
        progress("VIOLATION: %s", what);
    }

    private void dumpState() {
        log.println("  pools: " + fleet.pools().map(Object::toString).orElse("(Herd does not answer)"));
        log.println("  zinit: " + fleet.services().map(Object::toString).orElse("(Zinit does not answer)"));
        if (fleet.herd() != null) {
            log.println("  herd log:\n" + fleet.herd().log());
        }
    }

    private void progress(String format, Object... args) {
        log.printf("[%6.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
