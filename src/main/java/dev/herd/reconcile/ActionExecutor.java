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
    private static final Duration STOP_POLL = Duration.ofMillis(50);

    private final ZinitClient zinit;
    private final ZinitObserver observer;
    private final String controllerId;
    private final int parallelism;

    public ActionExecutor(ZinitClient zinit, ZinitObserver observer, String controllerId, int parallelism) {
        this.zinit = zinit;
        this.observer = observer;
        this.controllerId = controllerId;
        this.parallelism = parallelism;
    }

    /** Applies the stages in order; the outcomes of every action, failed ones included. */
    public Uni<List<ActionOutcome>> apply(Plan plan, Map<String, PoolIntent> intents) {
        Uni<List<ActionOutcome>> all = Uni.createFrom().item(new ArrayList<>());
        for (List<Action> stage : plan.stages()) {
            all = all.chain(done -> Multi.createFrom().iterable(stage)
                    .onItem().transformToUni(a -> apply(a, intents))
                    .merge(parallelism)
                    .collect().asList()
                    .map(outcomes -> {
                        done.addAll(outcomes);
                        return done;
                    }));
        }
        return all;
    }

    private Uni<ActionOutcome> apply(Action action, Map<String, PoolIntent> intents) {
        Uni<Void> effect;
        if (action instanceof Action.CreateWorker c) {
            effect = create(c, intents.get(c.pool()));
        } else if (action instanceof Action.RemoveWorker r) {
            Duration grace = shutdownTimeout(intents.get(r.pool()));
            effect = stopAndWait(r.worker(), grace).chain(() -> zinit.delete(r.worker()));
        } else if (action instanceof Action.StartWorker s) {
            effect = zinit.start(s.worker());
        } else if (action instanceof Action.HoldWorker h) {
            effect = zinit.stop(h.worker());
        } else {
            effect = Uni.createFrom().failure(new IllegalStateException("unknown action " + action));
        }
        return effect
                .invoke(() -> observer.forget(action.worker()))
                .map(v -> ActionOutcome.ok(action))
                .onFailure().recoverWithItem(f -> ActionOutcome.failed(action, f));
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

    /** Asks the worker to stop and waits (without blocking) until its process is gone or the grace ends. */
    private Uni<Void> stopAndWait(String worker, Duration grace) {
        return zinit.stop(worker)
                .onFailure(ZinitException.ServiceNotFound.class).recoverWithNull()
                .chain(() -> zinit.status(worker)
                        .map(s -> s.state().hasProcess())
                        .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem(false)
                        .flatMap(running -> running
                                ? Uni.createFrom().failure(new StillRunning())
                                : Uni.createFrom().voidItem())
                        .onFailure(StillRunning.class).retry().withBackOff(STOP_POLL, STOP_POLL).expireIn(grace.toMillis())
                        .onFailure(StillRunning.class).recoverWithNull()
                        .replaceWithVoid());
    }

    private static Duration shutdownTimeout(PoolIntent intent) {
        return intent == null ? Duration.ofSeconds(10) : intent.render().apply(0).shutdownTimeout();
    }

    private static final class StillRunning extends RuntimeException {
        StillRunning() {
            super("still running", null, false, false);
        }
    }

}
