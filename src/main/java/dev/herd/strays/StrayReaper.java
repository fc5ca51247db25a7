package dev.herd.strays;

import dev.herd.config.HerdConfig;
import dev.herd.introspect.ProcessTable;
import dev.herd.introspect.ProcessTable.Proc;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.Ownership;
import dev.herd.reconcile.Periodic;
import dev.herd.reconcile.ProcessGroups;
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
        List<Proc> processes = ProcessTable.read(PROC);
        Map<Long, Proc> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put((long) p.pid(), p));
        List<StrayRule.Labelled> labelled = labelledOutside(processes, zinitPids, controllerId, zinitLabel);
        Map<String, ServiceStatus> byName = new HashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        Map<String, StrayRule.Listed> listed = new HashMap<>();
        for (StrayRule.Labelled l : labelled) {
            ServiceStatus s = byName.get(l.worker());
            if (s != null) {
                listed.computeIfAbsent(l.worker(), w -> new StrayRule.Listed(s.pid(), ProcessGroups.isWorker(s.pid(), l.label().pool(), l.label().ordinal())));
            }
        }
        StrayRule.Verdict verdict = sightings.see(StrayRule.strays(labelled, listed, loop.terminatingWorkers()), clock.instant(), interval);
        sightings = verdict.next();
        if (verdict.confirmed().isEmpty()) {
            return;
        }
        // a zinit-server is the parent of the services it lists (processes it started: group leaders, not session leaders)
        Set<Long> zinitServers = zinitPids.stream().map(byPid::get).filter(p -> p != null && p.leadsGroupNotSession())
                .map(p -> (long) p.parent()).collect(Collectors.toSet());
        act(StrayRule.treatment(verdict.confirmed(), byPid, zinitServers));
    }

    /**
     * The processes outside {@code zinitPids}' families that carry the labels of {@code controllerId}'s
     * workers on the Zinit labelled {@code zinitLabel}: one read of every {@code stat}, and of the
     * {@code environ} of the processes outside Zinit's services only.
     */
    public static List<StrayRule.Labelled> labelledOutside(Set<Long> zinitPids, String controllerId, String zinitLabel) {
        return labelledOutside(ProcessTable.read(PROC), zinitPids, controllerId, zinitLabel);
    }

    private static List<StrayRule.Labelled> labelledOutside(List<Proc> processes, Set<Long> zinitPids, String controllerId, String zinitLabel) {
        List<StrayRule.Labelled> labelled = new ArrayList<>();
        for (Proc p : StrayRule.unsupervised(processes, zinitPids)) {
            Map<String, String> env = ProcessGroups.environ(p.pid());
            if (zinitLabel.equals(env.get(Ownership.ZINIT))) {
                Ownership.read(controllerId, env).ifPresent(label -> labelled.add(new StrayRule.Labelled(p, label)));
            }
        }
        return labelled;
    }

    /** One event (and count) per worker and treatment. */
    private record Acted(String pool, String worker, StrayRule.Treatment treatment) {
    }

    /** Kills or freezes each stray as {@link StrayRule#treatment} says; records what was done. */
    private void act(Map<StrayRule.Labelled, StrayRule.Treatment> treatments) {
        Map<Acted, List<String>> done = new LinkedHashMap<>();
        List<StrayRule.Labelled> toFreeze = new ArrayList<>();
        treatments.forEach((l, t) -> {
            if (t == StrayRule.Treatment.LEAVE || !stillTheSame(l.process())) {
                return;
            }
            String what = describe(l.process().pid()); // before the kill, while its name can be read
            if (t == StrayRule.Treatment.FREEZE) {
                toFreeze.add(l);
            } else if (ProcessHandle.of(l.process().pid()).map(ProcessHandle::destroyForcibly).orElse(false)) {
                done.computeIfAbsent(new Acted(l.label().pool(), l.worker(), t), k -> new ArrayList<>()).add(what);
            }
        });
        ProcessGroups.signalEach(toFreeze.stream().map(l -> (long) l.process().pid()).toList(), "SIGSTOP");
        for (StrayRule.Labelled l : toFreeze) {
            if (ProcessTable.read(PROC, l.process().pid()).map(Proc::stopped).orElse(false)) { // only those the signal reached
                done.computeIfAbsent(new Acted(l.label().pool(), l.worker(), StrayRule.Treatment.FREEZE), k -> new ArrayList<>())
                        .add(describe(l.process().pid()));
            }
        }
        done.forEach(this::record);
    }

    private void record(Acted a, List<String> processes) {
        boolean killed = a.treatment() == StrayRule.Treatment.KILL;
        String plural = processes.size() == 1 ? "" : "es";
        String message = killed
                ? String.format("SIGKILLed %d process%s labelled as %s that no Zinit service runs: %s. Left behind when Zinit lost"
                        + " track of them or their worker was killed, they would take jobs and answer pings beside the worker that runs now",
                        processes.size(), plural, a.worker(), String.join(", ", processes))
                : String.format("froze (SIGSTOP) %d process%s labelled as %s that no Zinit service runs but zinit-server still waits for: %s."
                        + " Killed, Zinit 0.3.9 would take their exit for another service's and restart it. Frozen, they take no job and"
                        + " answer no ping; Herd kills them once zinit-server stops waiting for them (after a restart of Zinit), or kill them with"
                        + " kill -KILL", processes.size(), plural, a.worker(), String.join(", ", processes));
        loop.events().record(new Event(clock.instant(), "Warning", killed ? "StrayKilled" : "StrayFrozen", a.pool(), a.worker(), message));
        Counter.builder("herd.worker.strays").description("stray worker processes Herd killed or froze, by pool and action")
                .tag("pool", a.pool()).tag("action", killed ? "killed" : "frozen").register(registry).increment(processes.size());
    }

    /** "pid N (name)", the name as ps shows it. */
    private static String describe(long pid) {
        try {
            return "pid " + pid + " (" + Files.readString(PROC.resolve(Long.toString(pid)).resolve("comm")).strip() + ")";
        } catch (IOException | RuntimeException gone) {
            return "pid " + pid;
        }
    }

    /** The pid still names the process seen in the scans (the kernel may have reused it meanwhile). */
    private static boolean stillTheSame(Proc p) {
        return ProcessTable.read(PROC, p.pid()).map(now -> now.startTicks() == p.startTicks()).orElse(false);
    }
}
