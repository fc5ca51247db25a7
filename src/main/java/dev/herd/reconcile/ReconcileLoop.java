package dev.herd.reconcile;

import dev.herd.cgroup.WorkerCgroups;
import dev.herd.config.HerdConfig;
import dev.herd.zinit.ZinitClient;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The imperative shell around the {@link Planner}: one thread runs passes (observe, plan, apply)
 * one at a time, so a pool is never reconciled twice at once. Triggers (a desired-state change, the
 * poll interval, a requeue, the end of a backoff) only mark that a pass is wanted, so a burst of
 * them costs one pass. Blocking waits happen on this thread only, never on an event loop.
 */
@ApplicationScoped
public class ReconcileLoop {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);
    /** A pass slower than this is logged with what it did: a pass should take milliseconds. */
    private static final Duration SLOW_PASS = Duration.ofSeconds(1);

    private final ReconcileSettings settings;
    private final ZinitClient zinit;
    private final DesiredSource desired;
    private final Clock clock;
    private final EventLog events = new EventLog(500);
    private final CrashPolicy policy = CrashPolicy.defaults();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private ScheduledExecutorService thread;
    private volatile ZinitObserver observer;
    private ActionExecutor executor;
    private volatile Terminator terminator;
    /** Removed workers whose delete waits for a free end of Zinit's list, as last recorded (the loop thread's). */
    private Set<String> parkedNoted = Set.of();

    // touched by the loop thread only; published through the volatile snapshot
    private volatile Memory memory = Memory.empty(); // written by the loop thread, read by preview()
    private final Map<String, PoolBackoff> backoffs = new HashMap<>();
    private final Map<String, Long> observedGenerations = new HashMap<>();
    private final Map<String, List<ActionOutcome>> lastFailures = new HashMap<>();
    private Map<String, Integer> creationBatches = Map.of(); // slow start: each pool's next batch size
    private volatile Snapshot snapshot = Snapshot.initial();
    private final List<java.util.function.Consumer<PassReport>> passListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<RemovalHook> removalHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, RestartRequest> restartRequests = new java.util.concurrent.ConcurrentHashMap<>();
    private final WorkerCgroups cgroups;
    private final RemovalHook cgroupRelease;

    /**
     * What one pass did, for metrics.
     *
     * @param duration how long it took
     * @param outcomes every action applied, failed ones included
     * @param zinitReachable whether Zinit could be observed
     */
    public record PassReport(Duration duration, List<ActionOutcome> outcomes, boolean zinitReachable) {
    }

    /**
     * Adds a hook run for every worker the loop removes, once it has stopped and before its service
     * is deleted (hooks run one after the other).
     */
    public void onWorkerStopped(RemovalHook hook) {
        removalHooks.add(hook);
    }

    /**
     * Asks for a worker to be restarted (its process killed, Zinit starting it again), for the next
     * pass to do: the loop is the only writer to Zinit. A later request for the same worker
     * replaces an earlier one not yet done.
     */
    public void requestRestart(RestartRequest request) {
        restartRequests.put(request.worker(), request);
        trigger();
    }

    /** Calls {@code listener} on the loop thread after every pass; it must return quickly. */
    public void onPass(java.util.function.Consumer<PassReport> listener) {
        passListeners.add(listener);
    }

    /** What the last pass saw and decided, for the API, health checks and metrics. */
    public record Snapshot(Map<String, PoolStatus> pools, Optional<Instant> lastPassEnded, Optional<String> zinitError,
                           boolean desiredLoaded, Duration lastPassDuration) {
        static Snapshot initial() {
            return new Snapshot(Map.of(), Optional.empty(), Optional.empty(), false, Duration.ZERO);
        }
    }

    @Inject
    public ReconcileLoop(HerdConfig config, ZinitClient zinit, DesiredSource desired, WorkerCgroups cgroups) {
        this(ReconcileSettings.from(config), zinit, desired, Clock.systemUTC(), cgroups);
    }

    public ReconcileLoop(ReconcileSettings settings, ZinitClient zinit, DesiredSource desired, Clock clock) {
        this(settings, zinit, desired, clock, WorkerCgroups.none());
    }

    /** @param cgroups where the workers' cgroups are: their kills for memory are read, a removed worker's group emptied and removed */
    public ReconcileLoop(ReconcileSettings settings, ZinitClient zinit, DesiredSource desired, Clock clock, WorkerCgroups cgroups) {
        this.settings = settings;
        this.zinit = zinit;
        this.desired = desired;
        this.clock = clock;
        this.cgroups = cgroups;
        // last of the removal hooks, whatever registers later: what still runs in the group is ended once the
        // rest is done; it blocks (up to 2 s), so off the thread the hook before it completed on (an event loop).
        // Only where the pids in the groups are this host's, and so Herd's to signal.
        this.cgroupRelease = !settings.localPids() ? RemovalHook.NONE : (pool, worker) -> Uni.createFrom().item(() -> cgroups.release(worker))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        ZinitObserver zinitObserver = new ZinitObserver(zinit, settings.controllerId(), settings.localPids(), cgroups::oomKills);
        terminator = new Terminator(zinit, clock, settings.localPids(), this::workerStopped, this::trigger);
        executor = new ActionExecutor(zinit, zinitObserver, settings.controllerId(), settings.parallelism(), terminator);
        observer = zinitObserver; // last: preview() takes a set observer as "started"
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herd-reconcile");
            t.setDaemon(true);
            return t;
        });
        desired.onChange(this::trigger);
        long interval = settings.interval().toMillis();
        thread.scheduleWithFixedDelay(this::trigger, 0, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        Periodic.stopAndWait(thread);
        thread = null;
        if (settings.stopWorkersOnShutdown()) {
            // workers being removed were stopped already: wait for them to the end of their own deadlines
            new FleetStopper(observer, terminator, events).stopAll(desired.current().orElse(List.of()));
            terminator.awaitExits();
        }
        terminator.close(); // otherwise the stops sent stand, and the next Herd finishes the removals
    }

    /** Asks for a pass soon; many calls before it starts make one pass. */
    public void trigger() {
        ScheduledExecutorService t = thread;
        if (t != null && wanted.compareAndSet(false, true)) {
            try {
                t.execute(this::pass);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wanted.set(false); // shutting down
            }
        }
    }

    private Uni<Void> workerStopped(String pool, String worker) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (RemovalHook hook : removalHooks) {
            all = all.chain(() -> hook.stopped(pool, worker));
        }
        return all.chain(() -> cgroupRelease.stopped(pool, worker));
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public EventLog events() {
        return events;
    }

    /** The workers being removed now: their processes are the removal's until its deadline. */
    public java.util.Set<String> terminatingWorkers() {
        Terminator t = terminator;
        return t == null ? java.util.Set.of() : t.current().byWorker().keySet();
    }

    /** What a pass would do now, without doing it (dry run). */
    public Plan preview() {
        List<PoolIntent> intents = desired.current().orElse(List.of()).stream().map(PoolIntent::checked).toList();
        if (observer == null) {
            throw new IllegalStateException("the reconcile loop has not started yet");
        }
        Terminations terminating = terminator.current(); // before Zinit, as in a pass
        // the loop's own observer: its label cache spares one env read per service
        Observation observation = observer.observe()
                .await().atMost(settings.passTimeout());
        Instant now = clock.instant();
        List<PoolIntent> resolved = intents.stream().map(i -> i.resolved(observation, terminating)).toList();
        return Planner.plan(pools(resolved), observation, terminating, memory.observe(observation, now, policy), now, policy);
    }

    private void pass() {
        wanted.set(false);
        Instant started = clock.instant();
        Optional<List<PoolIntent>> maybeIntents = desired.current();
        if (maybeIntents.isEmpty()) {
            snapshot = new Snapshot(Map.of(), Optional.of(started), Optional.empty(), false, Duration.ZERO);
            return; // never act before the desired state has been read once
        }
        // launch checks (program file, digest, accounts) run here, on the loop thread: their facts feed the planner
        List<PoolIntent> intents = maybeIntents.get().stream().map(PoolIntent::checked).toList();
        Observation observation;
        try {
            observation = observer.observe().await().atMost(settings.passTimeout());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (snapshot.zinitError().isEmpty()) {
                events.record(new Event(started, "Warning", "ZinitUnavailable", "", "", why));
            }
            snapshot = new Snapshot(snapshot.pools(), Optional.of(clock.instant()), Optional.of(why), true,
                    Duration.between(started, clock.instant()));
            report(new PassReport(snapshot.lastPassDuration(), List.of(), false));
            return;
        }
        if (snapshot.zinitError().isPresent()) {
            events.record(new Event(started, "Normal", "ZinitReachable", "", "", "Zinit answers again"));
        }
        terminator.stopAgainIfRunning(observation);
        // a removal finishes only in a pass (its delete), so no worker Zinit lists here stops being terminating meanwhile
        Terminations terminating = terminator.current();
        Instant now = clock.instant();
        final Observation seen = observation;
        intents = intents.stream().map(i -> i.resolved(seen, terminating)).toList();
        Memory before = memory;
        memory = memory.observe(observation, now, policy);
        recordOomKills(before, observation, now);
        Plan plan = Planner.plan(pools(intents), observation, terminating, memory, now, policy);
        Plan outOfBackoff = withoutPoolsInBackoff(plan, now);
        // on the host: every worker with a process; a parked service has none
        long onHost = observation.owned().stream().filter(w -> !terminating.of(w.name()).map(Terminating::exited).orElse(false)).count();
        CreationBudget.Limited budgeted = settings.creationBudget().apply(outOfBackoff, creationBatches, (int) onHost);
        Plan allowed = budgeted.plan();
        List<RestartRequest> asked = List.copyOf(restartRequests.values());
        List<Action> restarts = RestartRequest.actions(asked, observation, terminating);
        asked.forEach(r -> restartRequests.remove(r.worker(), r)); // done now, or nothing left to restart
        if (!restarts.isEmpty()) {
            allowed = allowed.then(restarts);
        }

        Map<String, PoolIntent> byName = new HashMap<>();
        intents.forEach(i -> byName.put(i.name(), i));
        List<ActionOutcome> outcomes = allowed.isEmpty() ? List.of()
                : executor.apply(allowed, byName).await().atMost(settings.passTimeout());
        Map<String, List<ActionOutcome>> failures = new HashMap<>(record(outcomes, now));
        for (PoolIntent i : intents) {
            if (failures.containsKey(i.name())) {
                lastFailures.put(i.name(), failures.get(i.name()));
            } else if (withheld(plan, allowed, i.name())) {
                // backing off, or creations held back by the budget: not all was tried, so it did not all
                // succeed. Keep the backoff (else it would end at the next poll and never grow) and the
                // failures (else Degraded would flap); the generation counts as acted on once all was done.
                failures.put(i.name(), lastFailures.getOrDefault(i.name(), List.of()));
            } else {
                backoffs.remove(i.name());
                lastFailures.remove(i.name());
                observedGenerations.put(i.name(), i.generation());
            }
        }
        recordParked(terminating, observation, allowed, now);
        creationBatches = settings.creationBudget().next(creationBatches, budgeted, outcomes);
        Map<String, PoolStatus> statuses = StatusCalculator.compute(intents, observation, terminating, memory, plan, failures,
                snapshot.pools(), observedGenerations, budgeted.withheld(), settings.creationBudget(), now);
        recordLaunchRefusals(intents, now);
        recordTransitions(statuses, Condition.HOST_CAPACITY, "HostCapacityReached", "HostCapacityAvailable", "creations go on", now);
        recordTransitions(statuses, Condition.LIMITS_NOT_ENFORCED, "LimitsNotEnforced", "LimitsEnforced",
                "the kernel enforces every limit the template sets", now);
        Instant ended = clock.instant();
        if (Duration.between(started, ended).compareTo(SLOW_PASS) > 0) {
            LOG.infof("a pass took %d ms: %s", Duration.between(started, ended).toMillis(), outcomes.stream()
                    .map(o -> o.action().kind() + " " + o.action().worker()).toList());
        }
        snapshot = new Snapshot(Map.copyOf(statuses), Optional.of(ended), Optional.empty(), true, Duration.between(started, ended));
        report(new PassReport(snapshot.lastPassDuration(), outcomes, true));
        // a pass right away for the next batch; not while only the host cap holds (that waits for a removal)
        requeue(plan, allowed, budgeted.withheld().values().stream().anyMatch(CreationBudget.Limit::passesOnItsOwn));
    }

    /**
     * An event when a condition starts or stops holding for a pool (its condition says so meanwhile):
     * on the way in with the condition's reason and message, on the way out with {@code clearedReason}.
     */
    private void recordTransitions(Map<String, PoolStatus> statuses, String type, String raisedReason, String clearedReason,
                                   String clearedMessage, Instant now) {
        statuses.forEach((name, status) -> {
            PoolStatus before = snapshot.pools().get(name);
            boolean was = before != null && before.condition(type);
            boolean is = status.condition(type);
            if (is && !was) {
                events.record(new Event(now, "Warning", raisedReason, name, "", status.conditions().stream()
                        .filter(c -> c.type().equals(type)).findFirst().map(Condition::message).orElse("")));
            } else if (was && !is) {
                events.record(new Event(now, "Normal", clearedReason, name, "", clearedMessage));
            }
        });
    }

    /**
     * The event {@code Removed}, once per worker, when a removed worker's delete is parked: its
     * process is gone (its removal is over for its pool), and deleting its service now would move
     * the running service at the end of Zinit's list. The delete later says {@code Deleted}.
     */
    private void recordParked(Terminations terminating, Observation observation, Plan applied, Instant now) {
        Set<String> deleting = new HashSet<>();
        applied.actions().stream().filter(a -> a instanceof Action.DeleteWorker).forEach(a -> deleting.add(a.worker()));
        Set<String> listed = new HashSet<>(observation.slots());
        Set<String> parked = new HashSet<>();
        for (Terminating t : terminating.all()) {
            if (t.exited() && listed.contains(t.worker()) && !deleting.contains(t.worker())) {
                parked.add(t.worker());
                if (!parkedNoted.contains(t.worker())) {
                    events.record(new Event(now, "Normal", Action.Kind.DELETE.eventReason(), t.pool(), t.worker(), t.reason() + "; "
                            + t.exit().orElseThrow().how() + "; its stopped service is kept in Zinit (parked): deleting it now "
                            + "would move the running service at the end of Zinit's list to another slot (Zinit 0.3.9). It is "
                            + "deleted once nothing running comes after it, or started again if its pool scales up"));
                }
            }
        }
        parkedNoted = Set.copyOf(parked);
    }

    /** A Warning event for each worker the kernel killed a process of for memory since the last pass. */
    private void recordOomKills(Memory before, Observation observation, Instant now) {
        for (String worker : before.newlyOomKilled(memory)) {
            String pool = observation.owned().stream().filter(w -> w.name().equals(worker)).map(ObservedWorker::pool).findFirst().orElse("");
            events.record(new Event(now, "Warning", WorkerStatus.Termination.OOM_KILLED, pool, worker, "the kernel killed a process of "
                    + worker + " for going over its memory limit (spec.template.limits.memory; the kill count of its cgroup is now "
                    + memory.of(worker).oomKills() + "); raise the limit, or make the worker use less"));
        }
    }

    /** An event (logged by the decision log) when a pool's launch becomes refused, or allowed again; not at every pass. */
    private void recordLaunchRefusals(List<PoolIntent> intents, Instant now) {
        for (PoolIntent i : intents) {
            PoolStatus before = snapshot.pools().get(i.name());
            boolean was = before != null && before.condition(Condition.LAUNCH_REFUSED);
            Optional<dev.herd.launch.LaunchRefusal> refused = i.pool().launchRefused();
            if (refused.isPresent() && !was) {
                events.record(new Event(now, "Warning", refused.get().reason(), i.name(), "", refused.get().message()));
            } else if (refused.isEmpty() && was) {
                events.record(new Event(now, "Normal", "LaunchAllowed", i.name(), "", "program, user and limits check out again"));
            }
        }
    }

    private void report(PassReport report) {
        for (var listener : passListeners) {
            try {
                listener.accept(report);
            } catch (RuntimeException e) {
                LOG.warnf("a pass listener failed: %s", e.getMessage());
            }
        }
    }

    private Map<String, List<ActionOutcome>> record(List<ActionOutcome> outcomes, Instant now) {
        Map<String, List<ActionOutcome>> failures = new HashMap<>();
        for (ActionOutcome o : outcomes) {
            Action a = o.action();
            if (o.succeeded()) {
                if (a instanceof Action.HoldWorker) {
                    memory = memory.held(a.worker(), now, policy);
                } else if (a instanceof Action.StartWorker || a instanceof Action.ReuseWorker) {
                    memory = memory.released(a.worker()); // its new process is not a restart
                }
                String message = a instanceof Action.RemoveWorker ? a.reason() + terminator.current().of(a.worker())
                        .map(t -> "; stop sent, SIGKILL at " + t.deadline() + " if still running").orElse("") : a.reason();
                boolean warning = a instanceof Action.HoldWorker || a instanceof Action.RestartWorker;
                // a parked worker's removal was recorded when it was parked: now only its service goes
                boolean wasParked = a instanceof Action.DeleteWorker && parkedNoted.contains(a.worker());
                String reason = wasParked ? "Deleted" : a.kind().eventReason();
                message = wasParked ? "its parked service is deleted: nothing running comes after it in Zinit's list now" : message;
                // the event before the state: whoever sees a removal finished finds it recorded
                events.record(new Event(now, warning ? "Warning" : "Normal", reason, a.pool(), a.worker(), message));
                if (a instanceof Action.DeleteWorker) {
                    terminator.deleted(a.worker());
                }
            } else {
                failures.computeIfAbsent(a.pool(), k -> new ArrayList<>()).add(o);
                backoffs.put(a.pool(), PoolBackoff.after(backoffs.get(a.pool()), now,
                        settings.backoffInitial(), settings.backoffMax()));
                events.record(new Event(now, "Warning", "Failed", a.pool(), a.worker(),
                        a.kind() + " failed: " + o.error() + (o.retryable() ? " (will retry)" : "")));
            }
        }
        return failures;
    }

    private Plan withoutPoolsInBackoff(Plan plan, Instant now) {
        java.util.function.Predicate<Action> due = a -> {
            PoolBackoff b = backoffs.get(a.pool());
            return b == null || !now.isBefore(b.until());
        };
        // deletes go from the end of Zinit's list: none after one held back (it would move that one)
        List<List<Action>> stages = plan.stages().stream()
                .map(stage -> stage.stream().anyMatch(a -> a instanceof Action.DeleteWorker)
                        ? stage.stream().takeWhile(due).toList() : stage.stream().filter(due).toList())
                .toList();
        return new Plan(stages, plan.conflicts(), plan.requeueAfter());
    }

    /** Whether the plan had actions for {@code pool} that the backoff held back this pass. */
    private static boolean withheld(Plan plan, Plan allowed, String pool) {
        return plan.actions().stream().filter(a -> a.pool().equals(pool)).count()
                > allowed.actions().stream().filter(a -> a.pool().equals(pool)).count();
    }

    private void requeue(Plan plan, Plan applied, boolean moreToCreate) {
        ScheduledExecutorService t = thread;
        if (t == null) {
            return;
        }
        List<Duration> delays = new ArrayList<>();
        if (moreToCreate) {
            delays.add(Duration.ZERO); // the next slow-start batch, planned afresh
        } else if (!applied.isEmpty()) {
            delays.add(Duration.ofMillis(50)); // look at the effect of what was just done
        }
        plan.requeueAfter().ifPresent(delays::add);
        Instant now = clock.instant();
        backoffs.values().forEach(b -> delays.add(Duration.between(now, b.until())));
        delays.stream().min(Duration::compareTo).ifPresent(d ->
                t.schedule(this::trigger, Math.max(0, d.toMillis()), TimeUnit.MILLISECONDS));
    }

    static List<DesiredPool> pools(List<PoolIntent> intents) {
        return intents.stream().map(PoolIntent::pool).toList();
    }
}
