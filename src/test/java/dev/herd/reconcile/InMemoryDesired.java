package dev.herd.reconcile;

import dev.herd.zinit.Command;
import dev.herd.zinit.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A desired state set directly by a test: pools of real processes running a given argv. */
final class InMemoryDesired implements DesiredSource {
    private final String controllerId;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Optional<List<PoolIntent>> pools = Optional.empty();
    private final Map<String, Long> generations = new HashMap<>();

    InMemoryDesired(String controllerId) {
        this.controllerId = controllerId;
    }

    /** Sets the desired pools: name → (replicas, argv). The argv is the template, so changing it is a rollout. */
    synchronized void set(Map<String, Pool> desired) {
        List<PoolIntent> out = new ArrayList<>();
        desired.forEach((name, p) -> {
            String hash = Integer.toHexString(p.argv().hashCode());
            long generation = generations.merge(name, 1L, Long::sum);
            DesiredPool pool = new DesiredPool(name, p.replicas(), hash, p.maxSurge(), p.maxUnavailable(), p.after());
            out.add(new PoolIntent(pool, ordinal -> ServiceSpec.of(WorkerNames.of(name, ordinal), new Command.Argv(p.argv()))
                    .withEnv(Ownership.labels(controllerId, name, ordinal, hash, p.after()))
                    .withAfter(p.after()), generation, List.of()));
        });
        pools = Optional.of(List.copyOf(out));
        listeners.forEach(Runnable::run);
    }

    record Pool(int replicas, List<String> argv, int maxSurge, int maxUnavailable, List<String> after) {
        static Pool of(int replicas, String... argv) {
            return new Pool(replicas, List.of(argv), 1, 1, List.of());
        }
    }

    @Override
    public Optional<List<PoolIntent>> current() {
        return pools;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    static ReconcileSettings settings(String controllerId) {
        return new ReconcileSettings(controllerId, Duration.ofMillis(200), 16, Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofSeconds(2), false, true, ReconcileSettings.DEFAULT_BUDGET);
    }
}
