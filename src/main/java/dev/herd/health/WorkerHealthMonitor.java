package dev.herd.health;

import dev.herd.desired.DesiredState;
import dev.herd.desired.HealthSpec;
import dev.herd.desired.WatchedDesiredState;
import dev.herd.desired.WorkerPool;
import dev.herd.jobs.Job;
import dev.herd.jobs.JobService;
import dev.herd.jobs.JobsConfig;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.Periodic;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.RestartRequest;
import dev.herd.reconcile.WorkerPhase;
import dev.herd.reconcile.WorkerStatus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The imperative shell around {@link PingVerdict}: every {@code herd.jobs.monitor-interval}, for each
 * Ready worker of each pool, it reads the worker's status hash (and the pending ping's result), asks
 * the rule what to do, and does it: sends a ping to the worker's own queue, withdraws a judged ping,
 * records PingFailed events, and after {@code failureThreshold} failures in a row restarts the
 * worker through Zinit and records Restarted. Runs on its own thread and waits there, with a
 * timeout on every call; nothing here runs on an event loop.
 */
@ApplicationScoped
public class WorkerHealthMonitor {
    private static final Logger LOG = Logger.getLogger(WorkerHealthMonitor.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ReconcileLoop loop;
    private final WatchedDesiredState desired;
    private final JobService jobs;
    private final JobsConfig config;
    private final Clock clock = Clock.systemUTC();
    private Periodic thread;

    /**
     * What the monitor keeps per worker; touched by the monitor thread only.
     *
     * @param workerSince when Herd first saw this worker ({@link WorkerStatus#firstSeen}): a worker
     *                    removed and created again under the same name is a new worker, with a
     *                    fresh state, not its predecessor's ping in flight
     * @param skipped     checks in a row that could not be made (Redis or Zinit did not answer)
     */
    record Tracked(PingVerdict.State state, Instant workerSince, Instant firstSeen, Optional<Instant> lastActive, String activity,
                   int skipped) {
        static Tracked fresh(WorkerStatus w, Instant now) {
            return new Tracked(PingVerdict.State.fresh(), w.firstSeen(), now, Optional.empty(), "", 0);
        }

        /** What is kept for {@code w}: {@code before} while it is the same worker, else a fresh state. */
        static Tracked of(Optional<Tracked> before, WorkerStatus w, Instant now) {
            return before.filter(t -> t.workerSince().equals(w.firstSeen())).orElseGet(() -> fresh(w, now));
        }

        Tracked skippedOnce() {
            return new Tracked(state, workerSince, firstSeen, lastActive, activity, skipped + 1);
        }
    }

    /** Checks in a row that could not be made before a warning; then one every this many more. */
    static final int SKIPS_BEFORE_WARNING = 3;
    static final int SKIPS_BETWEEN_WARNINGS = 60;

    private final Map<String, Tracked> tracked = new HashMap<>();
    private volatile Map<String, Map<String, WorkerHealth>> view = Map.of();

    @Inject
    public WorkerHealthMonitor(ReconcileLoop loop, WatchedDesiredState desired, JobService jobs, JobsConfig config) {
        this.loop = loop;
        this.desired = desired;
        this.jobs = jobs;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (thread == null) {
            thread = Periodic.start("herd-health-monitor", config.monitorInterval(), this::tick);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.close();
        }
    }

    /** Each worker's health in {@code pool}, by worker name (empty for an unknown pool). */
    public Map<String, WorkerHealth> health(String pool) {
        return view.getOrDefault(pool, Map.of());
    }

    private void tick() {
        Map<String, WorkerPool> specs = desired.current().map(DesiredState::activePools).orElse(Map.of());
        Map<String, Map<String, WorkerHealth>> next = new HashMap<>();
        Map<String, Tracked> present = new HashMap<>();
        for (PoolStatus pool : loop.snapshot().pools().values()) {
            WorkerPool spec = specs.get(pool.name());
            if (spec == null) {
                continue;
            }
            HealthSpec h = spec.spec().health();
            PingVerdict.Policy policy = new PingVerdict.Policy(h.pingAfterIdle(), h.pingTimeout(), h.failureThreshold(), config.pingReply());
            Map<String, WorkerHealth> poolView = new HashMap<>();
            for (WorkerStatus w : pool.workers()) {
                Tracked t = Tracked.of(Optional.ofNullable(tracked.get(w.name())), w, clock.instant());
                if (w.phase() == WorkerPhase.READY) {
                    t = checkQuietly(pool.name(), w.name(), t, policy);
                }
                present.put(w.name(), t);
                poolView.put(w.name(), new WorkerHealth(t.state().describe(policy.threshold()), t.activity(), t.state().failures(),
                        policy.threshold(), t.state().restarts(), t.lastActive(), t.state().lastPingOk()));
            }
            next.put(pool.name(), Map.copyOf(poolView));
        }
        orphanedPings(tracked, present).forEach(this::withdrawQuietly);
        tracked.clear();
        tracked.putAll(present); // workers gone from every pool are forgotten
        view = Map.copyOf(next);
    }

    /**
     * Pings in flight (worker, job id) that nobody will judge after this tick: their worker is gone,
     * or was created again under its name (a new worker with a fresh state). Withdrawn, so that a
     * worker that finds one in its queue skips it and its job hash does not stay in Redis for good.
     * (Recovery drops the pings in the queue of a worker it removes; a worker the monitor itself
     * deleted and the loop recreated keeps its queue, and would answer the old ping unjudged.)
     */
    static List<Map.Entry<String, String>> orphanedPings(Map<String, Tracked> before, Map<String, Tracked> after) {
        List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
        before.forEach((worker, t) -> {
            boolean sameWorker = Optional.ofNullable(after.get(worker)).map(a -> a.workerSince().equals(t.workerSince())).orElse(false);
            t.state().pending().filter(p -> !sameWorker).ifPresent(p -> out.add(Map.entry(worker, p.jobId())));
        });
        return out;
    }

    private void withdrawQuietly(Map.Entry<String, String> ping) {
        try {
            jobs.withdraw(ping.getKey(), ping.getValue()).await().atMost(CALL_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf("worker=%s: ping %s not withdrawn: %s", ping.getKey(), ping.getValue(), e.getMessage());
        }
    }

    /** One check; one that cannot be made is skipped, and said at WARN once it keeps happening (a silent monitor is no monitor). */
    private Tracked checkQuietly(String pool, String worker, Tracked t, PingVerdict.Policy policy) {
        try {
            return check(pool, worker, t, policy).await().atMost(CALL_TIMEOUT.multipliedBy(3));
        } catch (RuntimeException e) {
            Tracked skipped = t.skippedOnce();
            int n = skipped.skipped();
            if (n >= SKIPS_BEFORE_WARNING && (n - SKIPS_BEFORE_WARNING) % SKIPS_BETWEEN_WARNINGS == 0) {
                LOG.warnf("pool=%s worker=%s: no health check for %d rounds in a row (its pings are not judged): %s", pool, worker, n,
                        e.getMessage());
            } else {
                LOG.debugf("pool=%s worker=%s: health check skipped this round: %s", pool, worker, e.getMessage());
            }
            return skipped;
        }
    }

    private Uni<Tracked> check(String pool, String worker, Tracked t, PingVerdict.Policy policy) {
        return jobs.workerState(worker).chain(hash -> pingRecord(t.state()).chain(ping -> {
            Instant now = clock.instant();
            Optional<Instant> lastActive = lastActive(hash);
            PingVerdict.Observed observed = new PingVerdict.Observed(lastActive.orElse(t.firstSeen()), busyWith(hash, now),
                    ping.flatMap(PingRecord::output), t.state().pending().isPresent() && ping.isEmpty());
            PingVerdict.Step step = PingVerdict.next(t.state(), observed, policy, now);
            return act(pool, worker, t.state(), step, policy, now)
                    .map(state -> new Tracked(state, t.workerSince(), t.firstSeen(), lastActive, hash.getOrDefault("state", ""), 0));
        }));
    }

    private Uni<PingVerdict.State> act(String pool, String worker, PingVerdict.State before, PingVerdict.Step step,
                                       PingVerdict.Policy policy, Instant now) {
        // a ping answered, failed, or sent again after Redis lost it: off the worker's queue, if it is still there
        Uni<Void> withdrawn = before.pending().map(p -> jobs.withdraw(worker, p.jobId())).orElse(Uni.createFrom().voidItem());
        if (step instanceof PingVerdict.SendPing) {
            return withdrawn.chain(() -> jobs.submitToWorker(pool, worker, config.pingScript(), policy.pingTimeout()))
                    .map(id -> step.state().pinging(id, now, policy));
        }
        if (step instanceof PingVerdict.Passed) {
            return withdrawn.replaceWith(step.state());
        }
        if (step instanceof PingVerdict.Failed f) {
            loop.events().record(new Event(now, "Warning", "PingFailed", pool, worker, "ping failed: " + f.reason()));
            if (f.restart()) {
                requestRestart(pool, worker, policy, f.reason());
            }
            return withdrawn.replaceWith(step.state());
        }
        return Uni.createFrom().item(step.state());
    }

    /**
     * Asks the reconcile loop, the one writer to Zinit, to restart the worker: it SIGKILLs the
     * worker's process group (a stop would not do: Zinit sends the stop signal to the group, its
     * {@code sh -c} wrapper dies at once and Zinit then cancels the SIGKILL it would send after the
     * stop timeout, so a hung or frozen worker would live on beside the new one; docs/zinit-protocol.md,
     * hazard 7), Zinit starts it again, and the loop records the {@code Restarted} event.
     */
    private void requestRestart(String pool, String worker, PingVerdict.Policy policy, String reason) {
        loop.requestRestart(new RestartRequest(pool, worker,
                "restarted after " + policy.threshold() + " failed pings in a row; last: " + reason));
    }

    /** A pending ping's record: its output once the worker wrote a result ("error: ..." when it failed it). */
    private record PingRecord(Optional<String> output) {
    }

    /** The pending ping's record; empty when none is pending, or when Redis no longer has it. */
    private Uni<Optional<PingRecord>> pingRecord(PingVerdict.State state) {
        if (state.pending().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return jobs.get(state.pending().get().jobId()).map(job -> job.map(j -> new PingRecord(Optional.of(j).filter(Job::done)
                .map(d -> Job.FINISHED.equals(d.status()) ? d.output() : "error: " + d.error()))));
    }

    private static Optional<Instant> lastActive(Map<String, String> hash) {
        Optional<Instant> started = parse(() -> Instant.parse(hash.get("started_at")));
        Optional<Instant> lastJob = parse(() -> Instant.ofEpochMilli(Long.parseLong(hash.get("last_job_at"))));
        if (started.isPresent() && lastJob.isPresent()) {
            return Optional.of(started.get().isAfter(lastJob.get()) ? started.get() : lastJob.get());
        }
        return started.isPresent() ? started : lastJob;
    }

    /** The job in hand, unless the worker stopped beating for it (frozen or dead: then it is not busy). */
    private Optional<String> busyWith(Map<String, String> hash, Instant now) {
        String job = hash.getOrDefault("current_job", "");
        if (!"busy".equals(hash.get("state")) || job.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> beat = parse(() -> Instant.ofEpochMilli(Long.parseLong(hash.get("beat"))));
        boolean stale = beat.isPresent() && !now.isBefore(beat.get().plus(config.heartbeatLease()));
        return stale ? Optional.empty() : Optional.of(job);
    }

    private static Optional<Instant> parse(java.util.function.Supplier<Instant> read) {
        try {
            return Optional.of(read.get());
        } catch (RuntimeException e) {
            return Optional.empty(); // absent or malformed: the worker did not say
        }
    }
}
