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
    /** Above the waits a delete may make for a service Zinit still shows with a process (its stop, then SIGKILL). */
    private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(20);
    private final ZinitClient zinit;
    private final ZinitObserver observer;
    private final String controllerId;
    private final int parallelism;
    private final Terminator terminator;

    ActionExecutor(ZinitClient zinit, ZinitObserver observer, String controllerId, int parallelism, Terminator terminator) {
        this.zinit = zinit;
        this.observer = observer;
        this.controllerId = controllerId;
        this.parallelism = parallelism;
        this.terminator = terminator;
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
     * The actions of a stage in parallel; a stage of deletes one at a time, in its order (each
     * delete may move the last Zinit service, see {@link SlotSafeDeletes}). A removal only hands
     * the worker to the {@link Terminator}: the stop is sent, and the wait for the worker happens
     * outside the pass.
     */
    private Uni<List<ActionOutcome>> applyStage(List<Action> stage, Map<String, PoolIntent> intents) {
        if (stage.stream().anyMatch(a -> a instanceof Action.DeleteWorker)) {
            // from the end of Zinit's list: after a failed delete, the next would move the one that failed
            java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
            return Multi.createFrom().iterable(stage).onItem()
                    .transformToUniAndConcatenate(a -> failed.get() ? Uni.createFrom().<ActionOutcome>nullItem()
                            : outcome(a, effect(a, intents)).invoke(o -> failed.compareAndSet(false, !o.succeeded())))
                    .collect().asList();
        }
        return Multi.createFrom().iterable(stage).onItem().transformToUni(a -> outcome(a, effect(a, intents))).merge(parallelism)
                .collect().asList();
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
        } else if (action instanceof Action.ReuseWorker r) {
            // no longer being removed first: the start makes it the pool's worker again
            terminator.reused(r.worker());
            return zinit.start(r.worker());
        } else if (action instanceof Action.HoldWorker h) {
            return zinit.stop(h.worker());
        } else if (action instanceof Action.RestartWorker r) {
            // the exit counts as a failure, so Zinit starts it again (docs/zinit-protocol.md, service.kill); if
            // Zinit loses the exit, the next passes see the process gone and replace the worker
            return zinit.kill(r.worker(), "SIGKILL");
        } else if (action instanceof Action.DeleteWorker d) {
            // an exited worker's service: Zinit deletes one without a process at once
            return zinit.deleteStopped(d.worker()).ifNoItem().after(DELETE_TIMEOUT).fail();
        } else if (action instanceof Action.RemoveWorker r) {
            // a worker whose process is gone has nothing to finish
            return terminator.begin(r.pool(), r.worker(), r.reason(), r.replace() ? Duration.ZERO : PoolIntent.shutdownTimeout(intents.get(r.pool())),
                    r.replace(), PoolIntent.stopSignal(intents.get(r.pool())));
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
}
