package dev.herd.strays;

import dev.herd.config.HerdConfig;
import dev.herd.introspect.ProcessTable;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.Ownership;
import dev.herd.reconcile.Periodic;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The imperative shell of {@link StrayRule}: every {@code herd.strays.interval} it lists Zinit's
 * services, reads /proc, reads the environment of only those processes no Zinit service runs, and
 * kills or freezes ({@link StrayRule#treatment}) the ones labelled as this controller's workers of
 * this Zinit ({@link Ownership#ZINIT}) that {@link StrayRule#strays} calls strays, in this scan and
 * the one before. Records a StrayKilled or StrayFrozen event per worker. Skips a scan (and forgets its sightings) when Zinit does
 * not answer: a stray is only ever judged against a list Zinit just gave. Runs on its own thread.
 */
@ApplicationScoped
public class StrayReaper {
    private static final Logger LOG = Logger.getLogger(StrayReaper.class);
    private static final Path PROC = Path.of("/proc");

    private final ZinitClient zinit;
    private final ReconcileLoop loop;
    private final MeterRegistry registry;
    private final String controllerId;
    private final String zinitLabel;
    private final Duration interval;
    private final Duration callTimeout;
    private final boolean enabled;
    private final Clock clock = Clock.systemUTC();
    private StrayRule.Sightings sightings = StrayRule.Sightings.none(); // the scan thread's only
    private Periodic thread;

    @Inject
    public StrayReaper(ZinitClient zinit, ReconcileLoop loop, MeterRegistry registry, HerdConfig config) {
        this.zinit = zinit;
        this.loop = loop;
        this.registry = registry;
        this.controllerId = config.controllerId();
        this.zinitLabel = Ownership.zinitLabel(config.zinit().socket());
        this.interval = config.strays().interval();
        this.callTimeout = config.zinit().callTimeout();
        this.enabled = config.strays().reap() && config.zinit().localPids();
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            thread = Periodic.start("herd-strays", interval, this::scan);
        } else {
            LOG.info("stray worker processes are not looked for (herd.strays.reap=false, or Zinit's pids are not this host's)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.close();
        }
    }

    void scan() {
        List<ServiceStatus> services;
        try {
            services = zinit.list().await().atMost(callTimeout);
        } catch (RuntimeException e) {
            sightings = StrayRule.Sightings.none();
            return;
        }
        Set<Long> zinitPids = services.stream().filter(s -> s.pid() > 0).map(s -> (long) s.pid()).collect(Collectors.toSet());
        List<HostProcess> processes = hostProcesses(PROC);
        Map<Long, HostProcess> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        List<StrayRule.Labelled> labelled = labelledOutside(PROC, processes, zinitPids, controllerId, zinitLabel);
        Map<String, StrayRule.Listed> listed = new HashMap<>();
        for (StrayRule.Labelled l : labelled) {
            services.stream().filter(s -> s.name().equals(l.worker())).findFirst().ifPresent(s -> listed.put(l.worker(),
                    new StrayRule.Listed(s.pid(), s.pid() > 0 && Ownership.read(controllerId, environ(PROC, s.pid()))
                            .filter(own -> own.pool().equals(l.label().pool()) && own.ordinal() == l.label().ordinal()).isPresent())));
        }
        StrayRule.Verdict verdict = sightings.see(StrayRule.strays(labelled, listed, loop.terminatingWorkers()), clock.instant(), interval);
        sightings = verdict.next();
        // a zinit-server is the parent of the pids it lists
        Set<Long> zinitServers = zinitPids.stream().map(byPid::get).filter(java.util.Objects::nonNull).map(HostProcess::parent)
                .collect(Collectors.toSet());
        act(StrayRule.treatment(verdict.confirmed(), byPid, zinitServers));
    }

    private static List<HostProcess> hostProcesses(Path proc) {
        return ProcessTable.read(proc).stream().map(p -> new HostProcess(p.pid(), p.parent(), p.startTicks(), p.stopped())).toList();
    }

    /**
     * The processes outside {@code zinitPids}' families that carry the labels of {@code controllerId}'s
     * workers on the Zinit labelled {@code zinitLabel}: one read of every {@code stat}, and of the
     * {@code environ} of the processes outside Zinit's services only.
     */
    public static List<StrayRule.Labelled> labelledOutside(Path proc, Set<Long> zinitPids, String controllerId, String zinitLabel) {
        return labelledOutside(proc, hostProcesses(proc), zinitPids, controllerId, zinitLabel);
    }

    private static List<StrayRule.Labelled> labelledOutside(Path proc, List<HostProcess> processes, Set<Long> zinitPids,
                                                           String controllerId, String zinitLabel) {
        List<StrayRule.Labelled> labelled = new ArrayList<>();
        for (HostProcess p : StrayRule.unsupervised(processes, zinitPids)) {
            Map<String, String> env = environ(proc, p.pid());
            if (zinitLabel.equals(env.get(Ownership.ZINIT))) {
                Ownership.read(controllerId, env).ifPresent(label -> labelled.add(new StrayRule.Labelled(p, label)));
            }
        }
        return labelled;
    }

    /** Kills or freezes each stray as {@link StrayRule#treatment} says; one event per worker and treatment. */
    private void act(Map<StrayRule.Labelled, StrayRule.Treatment> treatments) {
        Map<String, List<String>> done = new LinkedHashMap<>(); // "worker|treatment" -> processes
        Map<String, String> poolOf = new HashMap<>();
        List<StrayRule.Labelled> toFreeze = new ArrayList<>();
        treatments.forEach((l, t) -> {
            if (t == StrayRule.Treatment.LEAVE || !stillTheSame(l.process())) {
                return;
            }
            String what = "pid " + l.process().pid() + command(l.process().pid());
            boolean acted = t == StrayRule.Treatment.KILL
                    ? ProcessHandle.of(l.process().pid()).map(ProcessHandle::destroyForcibly).orElse(false)
                    : toFreeze.add(l);
            if (acted) {
                done.computeIfAbsent(l.worker() + "|" + t, k -> new ArrayList<>()).add(what);
                poolOf.put(l.worker(), l.label().pool());
            }
        });
        stop(toFreeze.stream().map(l -> l.process().pid()).toList());
        done.forEach((key, processes) -> {
            String worker = key.substring(0, key.indexOf('|'));
            boolean killed = key.endsWith("|" + StrayRule.Treatment.KILL);
            String pool = poolOf.get(worker);
            String plural = processes.size() == 1 ? "" : "es";
            String message = killed
                    ? String.format("SIGKILLed %d process%s labelled as %s that no Zinit service runs: %s. Left behind when Zinit lost"
                            + " track of them or their worker was killed, they would take jobs and answer pings beside the worker that runs now",
                            processes.size(), plural, worker, String.join(", ", processes))
                    : String.format("froze (SIGSTOP) %d process%s labelled as %s that no Zinit service runs but zinit-server still waits for: %s."
                            + " Killed, Zinit 0.3.9 would take their exit for another service's and restart it. Frozen, they take no job and"
                            + " answer no ping; Herd kills them once zinit-server stops waiting for them (after a restart of Zinit), or kill them with"
                            + " kill -KILL", processes.size(), plural, worker, String.join(", ", processes));
            loop.events().record(new Event(clock.instant(), "Warning", killed ? "StrayKilled" : "StrayFrozen", pool, worker, message));
            Counter.builder("herd.worker.strays").description("stray worker processes Herd killed or froze, by pool and action")
                    .tag("pool", pool).tag("action", killed ? "killed" : "frozen").register(registry).increment(processes.size());
        });
    }

    /** SIGSTOP: Java signals only with TERM and KILL, so kill(1), bounded to 2 s. */
    private static void stop(List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-STOP", "--"));
        pids.forEach(p -> command.add(Long.toString(p)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warnf("cannot freeze stray processes %s: %s", pids, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** " (name)": the process's command name as ps shows it; empty when gone. */
    private static String command(long pid) {
        try {
            return " (" + Files.readString(PROC.resolve(Long.toString(pid)).resolve("comm")).strip() + ")";
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    /** The pid still names the process seen in the scans (the kernel may have reused it meanwhile). */
    private static boolean stillTheSame(HostProcess p) {
        try {
            return ProcessTable.parse(Files.readString(PROC.resolve(Long.toString(p.pid())).resolve("stat")))
                    .map(now -> now.startTicks() == p.startTicks()).orElse(false);
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** A process's environment; empty when it is gone or not ours to read. */
    private static Map<String, String> environ(Path proc, long pid) {
        try {
            Map<String, String> env = new HashMap<>();
            for (String kv : new String(Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("environ"))).split("\0")) {
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
}
