package dev.herd.reconcile;

import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies plans to Zinit: stage after stage, the actions of a stage in parallel up to a bound.
 * Every action is idempotent, and a failing action never stops the others.
 */
public final class ActionExecutor {
    private static final Duration HOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ActionExecutor.class);

    private final ZinitClient zinit;
    private final ZinitObserver observer;
    private final String controllerId;
    private final int parallelism;
    private final RemovalHook removalHook;

    public ActionExecutor(ZinitClient zinit, ZinitObserver observer, String controllerId, int parallelism) {
        this(zinit, observer, controllerId, parallelism, RemovalHook.NONE);
    }

    public ActionExecutor(ZinitClient zinit, ZinitObserver observer, String controllerId, int parallelism, RemovalHook removalHook) {
        this.zinit = zinit;
        this.observer = observer;
        this.controllerId = controllerId;
        this.parallelism = parallelism;
        this.removalHook = removalHook;
    }

    /** Applies the stages in order; the outcomes of every action, failed ones included. */
    public Uni<List<ActionOutcome>> apply(Plan plan, Map<String, PoolIntent> intents) {
        Uni<List<ActionOutcome>> all = Uni.createFrom().item(new ArrayList<>());
        for (List<Action> stage : plan.stages()) {
            all = all.chain(done -> applyStage(stage, intents).map(outcomes -> {
                done.addAll(outcomes);
                return done;
            }));
        }
        return all;
    }

    /**
     * Everything but the deletes runs in parallel. Removed workers are first stopped in parallel
     * (quick), then deleted one at a time from the last Zinit list position down: Zinit 0.3.9
     * serialises deletes anyway, and deleting out of that order renumbers other services
     * (docs/zinit-protocol.md, "delete shifts identities").
     */
    private Uni<List<ActionOutcome>> applyStage(List<Action> stage, Map<String, PoolIntent> intents) {
        Uni<List<ActionOutcome>> parallel = Multi.createFrom().iterable(stage)
                .onItem().transformToUni(a -> a instanceof Action.RemoveWorker r
                        ? outcome(a, stopAndWait(r.worker(), shutdownTimeout(intents.get(r.pool()))))
                        : outcome(a, effect(a, intents)))
                .merge(parallelism)
                .collect().asList();
        return parallel.chain(outcomes -> {
            List<ActionOutcome> stopped = outcomes.stream()
                    .filter(o -> o.succeeded() && o.action() instanceof Action.RemoveWorker)
                    .sorted(java.util.Comparator.comparingInt((ActionOutcome o) -> observer.listPosition(o.action().worker())).reversed())
                    .toList();
            List<ActionOutcome> result = new ArrayList<>(outcomes);
            result.removeAll(stopped);
            Uni<List<ActionOutcome>> deletes = Uni.createFrom().item(result);
            for (ActionOutcome o : stopped) {
                deletes = deletes.chain(acc -> outcome(o.action(), released(o.action()).chain(() -> zinit.delete(o.action().worker()))).map(d -> {
                    acc.add(d);
                    return acc;
                }));
            }
            return deletes;
        });
    }

    /** The removal hook for a stopped worker; its failure must not keep the worker from being deleted. */
    private Uni<Void> released(Action action) {
        return removalHook.stopped(action.pool(), action.worker())
                .ifNoItem().after(HOOK_TIMEOUT).fail()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("pool=%s worker=%s: handing back its queued jobs failed (%s); job recovery will retry",
                            action.pool(), action.worker(), e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<ActionOutcome> outcome(Action action, Uni<Void> effect) {
        return effect
                .invoke(() -> observer.forget(action.worker()))
                .map(v -> ActionOutcome.ok(action))
                .onFailure().recoverWithItem(f -> ActionOutcome.failed(action, f));
    }

    private Uni<Void> effect(Action action, Map<String, PoolIntent> intents) {
        if (action instanceof Action.CreateWorker c) {
            return create(c, intents.get(c.pool()));
        } else if (action instanceof Action.StartWorker s) {
            return zinit.start(s.worker());
        } else if (action instanceof Action.HoldWorker h) {
            return zinit.stop(h.worker());
        }
        return Uni.createFrom().failure(new IllegalStateException("no effect for " + action));
    }

    private Uni<Void> create(Action.CreateWorker c, PoolIntent intent) {
        if (intent == null) {
            return Uni.createFrom().failure(new IllegalStateException("pool " + c.pool() + " is not desired any more"));
        }
        ServiceSpec spec = intent.render().apply(c.ordinal());
        return zinit.create(spec)
                // exists already: fine if it is ours (a previous pass created it), a conflict if not
                .onFailure(ZinitException.AlreadyExists.class).recoverWithUni(() -> zinit.env(c.worker())
                        .chain(env -> Ownership.read(controllerId, env).isPresent()
                                ? Uni.createFrom().voidItem()
                                : Uni.createFrom().failure(new ZinitException.AlreadyExists(c.worker()))));
    }

    /**
     * Stops the worker within its shutdown timeout (SIGKILL after it). Zinit 0.3.9 has been seen to
     * lose a process's exit and show Stopping for ever; the delete that follows copes with that, so
     * a stop that fails does not hold the removal up.
     */
    private Uni<Void> stopAndWait(String worker, Duration grace) {
        // Whatever went wrong stopping (gone already, outlived SIGKILL, a lost process that cannot be
        // signalled), the delete decides: it succeeds or the action fails and is retried.
        return zinit.stopAndWait(worker, grace).onFailure().recoverWithNull();
    }

    private static Duration shutdownTimeout(PoolIntent intent) {
        return intent == null ? Duration.ofSeconds(10) : intent.render().apply(0).shutdownTimeout();
    }


}
