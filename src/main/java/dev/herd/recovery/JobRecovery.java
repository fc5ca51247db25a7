package dev.herd.recovery;

import dev.herd.jobs.Job;
import dev.herd.jobs.JobService;
import dev.herd.jobs.JobsConfig;
import dev.herd.jobs.WorkerQueues;
import dev.herd.jobs.WorkerQueues.Source;
import dev.herd.reconcile.Event;
import dev.herd.reconcile.Periodic;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.WorkerNames;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The imperative shell of job recovery. Every {@code herd.jobs.recovery-interval} it reads Zinit once
 * and the processing list of every worker it knows (those of the last reconcile pass, those it saw
 * before that are gone since, and, once after Herd starts, every worker that ever wrote a status
 * hash, found by one SCAN), and carries out {@link RecoveryRule}'s decisions. It is also the
 * reconcile loop's {@link dev.herd.reconcile.RemovalHook}: a worker being removed hands back its own
 * queue (and any job it was killed holding) after it stopped and before its service is deleted.
 * Waits happen on its own thread; the hook never blocks.
 */
@ApplicationScoped
public class JobRecovery {
    private static final Logger LOG = Logger.getLogger(JobRecovery.class);
    private static final Duration SWEEP_TIMEOUT = Duration.ofSeconds(60);

    private final ReconcileLoop loop;
    private final ZinitClient zinit;
    private final WorkerQueues queues;
    private final JobService jobs;
    private final JobsConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** When each id was first seen in each worker's processing list; forgotten when it leaves. */
    private final Map<String, Map<String, Instant>> firstSeen = new ConcurrentHashMap<>();
    private volatile boolean discovered;
    private volatile boolean zinitDown;
    private Periodic thread;

    @Inject
    public JobRecovery(ReconcileLoop loop, ZinitClient zinit, WorkerQueues queues, JobService jobs, JobsConfig config) {
        this.loop = loop;
        this.zinit = zinit;
        this.queues = queues;
        this.jobs = jobs;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        loop.onWorkerStopped(this::releaseStopped);
        thread = Periodic.start("herd-job-recovery", config.recoveryInterval(), this::sweep);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (thread != null) {
            thread.close();
        }
    }

    /** One sweep over every known worker; runs on the recovery thread and waits there. */
    void sweep() {
        ReconcileLoop.Snapshot snapshot = loop.snapshot();
        if (!snapshot.desiredLoaded()) {
            return;
        }
        if (!discovered) {
            Set<String> pools = snapshot.pools().keySet();
            known.addAll(queues.everRun(name -> pools.stream().anyMatch(p -> WorkerNames.ordinalIn(p, name).isPresent()))
                    .await().atMost(SWEEP_TIMEOUT));
            discovered = true;
        }
        snapshot.pools().values().forEach(p -> p.workers().forEach(w -> known.add(w.name())));
        Instant observedAt = clock.instant();
        Map<String, ServiceStatus> services;
        try {
            services = zinit.list().await().atMost(SWEEP_TIMEOUT).stream()
                    .collect(Collectors.toMap(ServiceStatus::name, Function.identity(), (a, b) -> a));
            zinitDown = false;
        } catch (RuntimeException e) {
            if (!zinitDown) {
                LOG.warnf("job recovery paused: cannot list Zinit's services (%s)", e.getMessage());
            }
            zinitDown = true;
            return; // without Zinit nothing shows a worker dead
        }
        for (String worker : List.copyOf(known)) {
            Optional<ServiceStatus> service = Optional.ofNullable(services.get(worker));
            recover(worker, service, observedAt).await().atMost(SWEEP_TIMEOUT);
        }
    }

    private Uni<Void> recover(String worker, Optional<ServiceStatus> service, Instant observedAt) {
        Uni<Boolean> heldEmpty = life(worker, service)
                .chain(life -> settleHeld(worker, RecoveryRule.deadBefore(life, observedAt)));
        if (service.isPresent()) {
            return heldEmpty.replaceWithVoid();
        }
        // gone from Zinit: hand back its own queue too, and forget it once nothing is left
        return heldEmpty.chain(noneHeld -> jobs.workerState(worker)
                .chain(state -> releaseOwnQueue(worker, state.getOrDefault("pool", "")))
                .invoke(noneQueued -> {
                    if (noneHeld && noneQueued) {
                        known.remove(worker);
                        firstSeen.remove(worker);
                    }
                })).replaceWithVoid();
    }

    private Uni<WorkerLife> life(String worker, Optional<ServiceStatus> service) {
        if (service.isEmpty()) {
            return Uni.createFrom().item(new WorkerLife.Absent());
        }
        if (!service.get().state().hasProcess()) {
            return Uni.createFrom().item(new WorkerLife.NoProcess());
        }
        return jobs.workerState(worker).map(h -> new WorkerLife.Running(HeldJob.iso(h.get("started_at"))));
    }

    /** The removal hook: the worker's process is gone, so whatever its lists hold now was put there before. */
    Uni<Void> releaseStopped(String pool, String worker) {
        known.add(worker);
        return settleHeld(worker, Optional.empty())
                .chain(() -> releaseOwnQueue(worker, pool))
                .replaceWithVoid();
    }

    /**
     * Settles every job in the worker's processing list; true when the list was empty.
     *
     * @param deadBefore the rule's deadBefore; empty means "the process is gone now": the time after the read
     */
    private Uni<Boolean> settleHeld(String worker, Optional<Instant> deadBefore) {
        Instant readAt = clock.instant();
        return queues.ids(worker, Source.PROCESSING).chain(ids -> {
            Map<String, Instant> seen = firstSeen.computeIfAbsent(worker, w -> new ConcurrentHashMap<>());
            seen.keySet().retainAll(Set.copyOf(ids));
            if (ids.isEmpty()) {
                return Uni.createFrom().item(true);
            }
            Optional<Instant> dead = deadBefore.isPresent() ? deadBefore : Optional.of(clock.instant());
            return Multi.createFrom().iterable(ids)
                    .onItem().transformToUniAndConcatenate(id -> jobs.get(id).chain(job -> {
                        Optional<HeldJob.Facts> facts = job.map(j -> HeldJob.Facts.of(j.fields(), config.pingScript()));
                        HeldJob held = new HeldJob(id, facts, seen.computeIfAbsent(id, k -> readAt));
                        RecoveryRule.Decision d = RecoveryRule.held(worker, held, dead, config.heartbeatLease(), clock.instant());
                        return apply(d, worker, Source.PROCESSING, id, job);
                    }))
                    .collect().last().replaceWith(false);
        });
    }

    /** Hands back the worker's own queue; true when it was empty. */
    private Uni<Boolean> releaseOwnQueue(String worker, String pool) {
        return queues.ids(worker, Source.OWN_QUEUE).chain(ids -> ids.isEmpty() ? Uni.createFrom().item(true)
                : Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> jobs.get(id).chain(job -> apply(
                        RecoveryRule.queuedForRemoved(worker, job.map(j -> HeldJob.Facts.of(j.fields(), config.pingScript())), pool),
                        worker, Source.OWN_QUEUE, id, job)))
                .collect().last().replaceWith(false));
    }

    private Uni<Void> apply(RecoveryRule.Decision d, String worker, Source source, String id, Optional<Job> job) {
        Map<String, String> read = job.map(Job::fields).orElse(Map.of());
        if (d instanceof RecoveryRule.Requeue r) {
            return queues.requeue(worker, source, id, read, r.pool(), r.attempts())
                    .invoke(done -> record(done, "Normal", "JobRequeued", r.pool(), worker, "job " + id + " back on pool "
                            + r.pool() + "'s queue: " + r.reason()))
                    .replaceWithVoid();
        } else if (d instanceof RecoveryRule.Fail f) {
            String pool = job.map(Job::pool).orElse("");
            return queues.fail(worker, source, id, read, f.reason())
                    .invoke(done -> record(done, "Warning", "JobFailed", pool, worker, "job " + id + " failed: " + f.reason()))
                    .replaceWithVoid();
        } else if (d instanceof RecoveryRule.Drop drop) {
            boolean ping = job.map(j -> config.pingScript().equals(j.fields().get("script"))).orElse(false);
            return queues.drop(worker, source, id, read, ping)
                    .invoke(done -> {
                        if (done) {
                            LOG.debugf("worker=%s job %s taken off its list: %s", worker, id, drop.why());
                        }
                    })
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    private void record(boolean done, String type, String reason, String pool, String worker, String message) {
        if (!done) {
            return; // the job moved meanwhile (finished, or taken by a racing recovery): nothing happened
        }
        loop.events().record(new Event(clock.instant(), type, reason, pool, worker, message));
    }
}
