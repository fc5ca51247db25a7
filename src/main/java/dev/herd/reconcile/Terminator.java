package dev.herd.reconcile;

import dev.herd.zinit.GracefulStop;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Removes workers without holding up the reconcile loop: {@link #begin} sends the stop and returns;
 * the worker is then {@link Terminating} while it finishes the job in hand. A watch on its own
 * thread reads Zinit's list every {@link #WATCH} while anything is terminating, SIGKILLs what
 * outlives its deadline (as a stop timeout does), runs the removal hook of each worker that exited
 * (its own queue back to its pool), records the exit, then asks for a pass. The pass deletes the
 * service ({@link Action.DeleteWorker}, ordered by {@link SlotSafeDeletes}) and reports it with
 * {@link #deleted}.
 * Where Zinit's pids are this host's, a worker counts as gone only when its whole process group is:
 * Zinit counts it exited as soon as its {@code sh -c} wrapper dies (hazard 7).
 */
final class Terminator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Terminator.class);
    /** How often terminating workers are looked at: one Zinit list per look. */
    static final Duration WATCH = Duration.ofMillis(200);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HOOK_TIMEOUT = Duration.ofSeconds(10);

    private final ZinitClient zinit;
    private final Clock clock;
    private final boolean localPids;
    private final RemovalHook removalHook;
    private final Runnable onChange;
    private final AtomicReference<Terminations> state = new AtomicReference<>(Terminations.none());
    /** The watch's own notes: the group to wait for, the stop signal, and what was done ({@link TerminationRule}). */
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;

    /** @param pidAtExit the pid Zinit showed when the worker counted as gone (0: none, or not yet gone) */
    private record Watched(long pgid, String stopSignal, TerminationRule.Progress progress, long pidAtExit) {
        Watched(long pgid, String stopSignal) {
            this(pgid, stopSignal, TerminationRule.Progress.begun(), 0);
        }

        Watched with(TerminationRule.Progress next) {
            return new Watched(pgid, stopSignal, next, pidAtExit);
        }

        Watched exitedShowing(long pid) {
            return new Watched(pgid, stopSignal, progress, pid);
        }
    }

    /**
     * @param onChange called when a worker exited (asks for a pass)
     */
    Terminator(ZinitClient zinit, Clock clock, boolean localPids, RemovalHook removalHook, Runnable onChange) {
        this.zinit = zinit;
        this.clock = clock;
        this.localPids = localPids;
        this.removalHook = removalHook;
        this.onChange = onChange;
        this.thread = Executors.newSingleThreadScheduledExecutor(daemon("herd-terminations"));
        thread.scheduleWithFixedDelay(this::watchQuietly, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The workers being removed now: the planner's and the status's input. */
    Terminations current() {
        return state.get();
    }

    /**
     * Starts removing {@code worker}: notes it as terminating until {@code now + grace}, then sends
     * the stop. Whatever the stop answers (gone already, a lost process that cannot be signalled),
     * the watch decides when the worker is gone. Idempotent: a worker already terminating keeps its
     * deadline.
     */
    Uni<Void> begin(String pool, String worker, String reason, Duration grace, boolean replace, String stopSignal) {
        if (state.get().contains(worker)) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        int ordinal = WorkerNames.ordinalIn(pool, worker).orElse(-1);
        // the group to wait for: only a process that carries this worker's labels (never someone else's group)
        return zinit.status(worker).map(s -> localPids && ProcessGroups.isWorker(s.pid(), pool, ordinal) ? (long) s.pid() : 0L)
                .onFailure().recoverWithItem(0L)
                .ifNoItem().after(CALL_TIMEOUT).recoverWithItem(0L)
                .invoke(pid -> {
                    watched.put(worker, new Watched(pid, stopSignal));
                    state.updateAndGet(t -> t.begun(new Terminating(worker, pool, ordinal, reason, now, now.plus(grace), replace)));
                })
                .chain(pid -> zinit.stop(worker))
                .ifNoItem().after(CALL_TIMEOUT).fail()
                .onFailure().invoke(e -> LOG.debugf("worker=%s: stop answered %s; the watch decides", worker, e.getMessage()))
                .onFailure().recoverWithNull()
                .invoke(() -> watched.computeIfPresent(worker, (k, w) -> w.with(w.progress().answered(clock.instant()))))
                .replaceWithVoid();
    }

    /**
     * Stops again each removed worker that Zinit shows running after its exit: a restart pending
     * when the stop came fires anyway (docs/zinit-protocol.md, hazard 10), and a restarted
     * zinit-server starts every service it has a file for, parked ones included. The worker is
     * terminating again, with its grace; the watch takes it from there.
     */
    void stopAgainIfRunning(Observation seen) {
        Instant now = clock.instant();
        for (ObservedWorker w : seen.owned()) {
            if (!state.get().of(w.name()).map(Terminating::exited).orElse(false) || !w.state().hasProcess() || w.pid() <= 0) {
                continue; // the common case, at no cost: no /proc read for a worker that is not a removed one running
            }
            Optional<Watched> seenAtExit = Optional.ofNullable(watched.get(w.name()));
            // another process than the one Zinit showed at the exit: one it lost track of (still shown after a SIGKILL) is not new
            boolean runs = seenAtExit.map(x -> x.pidAtExit() != w.pid()).orElse(true)
                    && (localPids ? ProcessGroups.isWorker(w.pid(), w.pool(), w.ordinal()) : w.state() == dev.herd.zinit.ServiceState.RUNNING);
            if (!runs) {
                continue;
            }
            LOG.infof("pool=%s worker=%s runs again after its removal (pid %d): stopping it again", w.pool(), w.name(), w.pid());
            String signal = seenAtExit.map(Watched::stopSignal).orElse("SIGTERM");
            watched.put(w.name(), new Watched(localPids ? w.pid() : 0, signal));
            state.updateAndGet(s -> s.rearmed(w.name(), now));
            zinit.stop(w.name()).ifNoItem().after(CALL_TIMEOUT).fail()
                    .onFailure().invoke(e -> LOG.debugf("worker=%s: stop answered %s; the watch decides", w.name(), e.getMessage()))
                    .onFailure().recoverWithNull()
                    .subscribe().with(v -> watched.computeIfPresent(w.name(), (k, x) -> x.with(x.progress().answered(clock.instant()))));
        }
    }

    /** The worker's stopped service is started again as the pool's worker: its removal is called off. */
    void reused(String worker) {
        deleted(worker);
    }

    /** The worker's service is deleted: its removal is finished. */
    void deleted(String worker) {
        state.updateAndGet(s -> s.finished(worker));
        watched.remove(worker);
    }

    /** The removal hook for a worker whose process is gone; its failure must not keep the service from being deleted. */
    private Uni<Void> released(Terminating t) {
        return removalHook.stopped(t.pool(), t.worker())
                .ifNoItem().after(HOOK_TIMEOUT).fail()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("pool=%s worker=%s: handing back its queued jobs failed (%s); job recovery will retry",
                            t.pool(), t.worker(), e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * For a Herd that stops its workers on shutdown: waits until every terminating worker has
     * exited (each is SIGKILLed at its deadline as usual), at most until the last deadline plus
     * the time a kill takes. Blocks the calling thread.
     */
    void awaitExits() {
        awaitExits(state.get().byWorker().keySet());
    }

    /** As {@link #awaitExits()}, for these workers only (those not terminating count as exited). */
    void awaitExits(java.util.Set<String> workers) {
        java.util.function.Predicate<Terminating> mine = t -> workers.contains(t.worker());
        Instant until = state.get().all().stream().filter(mine).map(Terminating::deadline).max(Instant::compareTo)
                .orElse(clock.instant()).plus(TerminationRule.AFTER_KILL).plus(WATCH);
        while (state.get().all().stream().filter(mine).anyMatch(t -> !t.exited()) && clock.instant().isBefore(until)) {
            try {
                Thread.sleep(WATCH.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void watchQuietly() {
        try {
            watch();
        } catch (RuntimeException e) {
            LOG.debugf("terminating workers not looked at this round: %s", e.getMessage());
        }
    }

    private void watch() {
        List<Terminating> running = state.get().all().stream().filter(t -> !t.exited()).toList();
        if (running.isEmpty()) {
            return;
        }
        Map<String, ServiceStatus> services = zinit.list().await().atMost(CALL_TIMEOUT).stream()
                .collect(Collectors.toMap(ServiceStatus::name, Function.identity(), (a, b) -> a));
        Instant now = clock.instant();
        boolean anyExited = false;
        for (Terminating t : running) {
            Optional<String> how = exit(t, Optional.ofNullable(services.get(t.worker())), now);
            if (how.isPresent()) {
                released(t).await().atMost(HOOK_TIMEOUT.plus(CALL_TIMEOUT));
                state.updateAndGet(s -> s.exited(t.worker(), now, how.get()));
                anyExited = true;
            }
        }
        if (anyExited) {
            onChange.run();
        }
    }

    /** How the worker ended, if it has: the facts for {@link TerminationRule}, and its steps carried out. */
    private Optional<String> exit(Terminating t, Optional<ServiceStatus> service, Instant now) {
        Watched w = watched.getOrDefault(t.worker(), new Watched(0, "SIGTERM", TerminationRule.Progress.begun().checked(), 0));
        long shown = service.map(ServiceStatus::pid).filter(pid -> ProcessGroups.isWorker(pid, t.pool(), t.ordinal())).orElse(0);
        TerminationRule.Facts facts = new TerminationRule.Facts(service.isPresent(), service.isEmpty() || GracefulStop.isStopped(service.get()),
                localPids, localPids && !groupGone(w.pgid()), localPids && !groupGone(shown));
        TerminationRule.Decision decision = TerminationRule.decide(t, w.progress(), facts, now);
        TerminationRule.Progress progress = w.progress();
        if (decision.checkGroup()) {
            List<Long> members = ProcessGroups.members(w.pgid());
            if (!members.isEmpty()) {
                // the wrapper alive means Zinit's signal went elsewhere: worth saying; otherwise routine. A second
                // stop signal is harmless to a worker that got the first (it is finishing its job either way).
                LOG.logf(members.contains(w.pgid()) ? org.jboss.logging.Logger.Level.INFO : org.jboss.logging.Logger.Level.DEBUG,
                        "pool=%s worker=%s: its process group still runs %d ms after Zinit's stop: %s sent to the group by Herd",
                        t.pool(), t.worker(), TerminationRule.SIGNAL_CHECK.toMillis(), w.stopSignal());
                ProcessGroups.signal(w.pgid(), w.stopSignal());
            }
            progress = progress.checked();
        }
        if (decision.kill()) {
            LOG.infof("pool=%s worker=%s still running at its deadline: SIGKILL", t.pool(), t.worker());
            zinit.kill(t.worker(), "SIGKILL").onFailure().recoverWithNull().await().atMost(CALL_TIMEOUT);
            if (localPids) {
                ProcessGroups.kill(w.pgid());
                ProcessGroups.kill(shown);
            }
            progress = progress.killed(now);
        }
        // merged into the entry as it is now: the stop's answer may have been noted meanwhile
        TerminationRule.Progress done = progress;
        boolean checked = done.signalChecked() && !w.progress().signalChecked();
        Optional<Instant> killed = done.killedAt().filter(at -> w.progress().killedAt().isEmpty());
        watched.computeIfPresent(t.worker(), (k, x) -> {
            TerminationRule.Progress p = x.progress();
            p = checked ? p.checked() : p;
            p = killed.isPresent() ? p.killed(killed.get()) : p;
            Watched next = x.with(p);
            return decision.exited().isPresent() ? next.exitedShowing(service.map(ServiceStatus::pid).orElse(0)) : next;
        });
        return decision.exited();
    }

    private static boolean groupGone(long pgid) {
        return pgid <= 0 || ProcessGroups.members(pgid).isEmpty();
    }
}
