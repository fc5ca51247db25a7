package dev.herd.reconcile;

import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Zinit into an {@link Observation}: one {@code list} per pass, plus the environment (where
 * the ownership labels live) of services it has not seen before or whose process changed. A pass
 * over an unchanged fleet therefore costs one round trip, however many workers there are.
 */
public final class ZinitObserver {
    private static final int ENV_READS_IN_PARALLEL = 16;

    private final ZinitClient zinit;
    private final String controllerId;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    private record Known(int pid, Optional<Ownership.Label> label) {
    }

    private final boolean localPids;
    /** How often every service's labels are read again whatever changed (a controller-runtime-style resync). */
    private static final long FULL_RESYNC = java.time.Duration.ofMinutes(10).toNanos();
    private volatile long lastFullResync = System.nanoTime();
    /** When each pid was last found alive: looked up again at most every {@link #ALIVE_RECHECK}, so a pass stays cheap. */
    private final Map<Integer, Long> aliveCheckedAt = new ConcurrentHashMap<>();
    private static final long ALIVE_RECHECK = java.time.Duration.ofSeconds(3).toNanos();
    private final java.util.function.ToLongFunction<String> oomKills;
    /** Each worker's count of kills for memory, when it was read and its pid then: read again when its process changes, else at most every {@link #OOM_RECHECK}. */
    private final Map<String, long[]> oomRead = new ConcurrentHashMap<>();
    private static final long OOM_RECHECK = java.time.Duration.ofSeconds(5).toNanos();

    /**
     * @param localPids whether Zinit's pids are this host's (same pid namespace): then a worker whose
     *                  process is gone while Zinit still shows it is noticed
     */
    public ZinitObserver(ZinitClient zinit, String controllerId, boolean localPids) {
        this(zinit, controllerId, localPids, worker -> 0);
    }

    /** @param oomKills a worker's count of kills for memory (its cgroup's), read from this host */
    public ZinitObserver(ZinitClient zinit, String controllerId, boolean localPids, java.util.function.ToLongFunction<String> oomKills) {
        this.zinit = zinit;
        this.controllerId = controllerId;
        this.localPids = localPids;
        this.oomKills = oomKills;
    }

    /** Forgets what it knows of a service, so the next pass reads its labels again (after Herd changed it). */
    public void forget(String name) {
        known.remove(name);
    }

    public Uni<Observation> observe() {
        long now = System.nanoTime();
        if (now - lastFullResync > FULL_RESYNC) {
            // level-triggered to the end: now and then read every label again, even of unchanged services
            known.clear();
            lastFullResync = now;
        }
        return zinit.list().chain(statuses -> {
            Set<String> present = new HashSet<>();
            List<ServiceStatus> toRead = new ArrayList<>();
            for (ServiceStatus s : statuses) {
                present.add(s.name());
                Known k = known.get(s.name());
                if (k == null || (s.pid() != 0 && k.pid() != 0 && s.pid() != k.pid())) {
                    toRead.add(s);
                }
            }
            known.keySet().retainAll(present);
            Uni<Void> reads = toRead.isEmpty() ? Uni.createFrom().voidItem()
                    : Multi.createFrom().iterable(toRead)
                    .onItem().transformToUni(s -> zinit.env(s.name())
                            .map(env -> Ownership.read(controllerId, env))
                            // gone between list and read: nothing to own
                            .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem(Optional.empty())
                            .invoke(label -> known.put(s.name(), new Known(s.pid(), label))))
                    .merge(ENV_READS_IN_PARALLEL).collect().last().replaceWithVoid();
            return reads.map(v -> assemble(statuses));
        });
    }

    private boolean processGone(int pid) {
        long now = System.nanoTime();
        Long checked = aliveCheckedAt.get(pid);
        if (checked != null && now - checked < ALIVE_RECHECK) {
            return false;
        }
        boolean gone = ProcessHandle.of(pid).isEmpty();
        if (gone) {
            aliveCheckedAt.remove(pid);
        } else {
            aliveCheckedAt.put(pid, now);
        }
        return gone;
    }

    private long oomKillsOf(ServiceStatus s) {
        long now = System.nanoTime();
        long[] last = oomRead.get(s.name()); // count, read at, pid then
        boolean changed = last == null || !s.state().hasProcess() || s.pid() != last[2];
        if (!changed && now - last[1] < OOM_RECHECK) {
            return last[0];
        }
        long count = oomKills.applyAsLong(s.name());
        oomRead.put(s.name(), new long[]{count, now, s.pid()});
        return count;
    }

    private Observation assemble(List<ServiceStatus> statuses) {
        Set<String> listed = new HashSet<>();
        statuses.forEach(s -> listed.add(s.name()));
        if (aliveCheckedAt.size() > 4 * statuses.size() + 64) {
            aliveCheckedAt.clear(); // pids of workers long gone
        }
        List<ObservedWorker> owned = new ArrayList<>();
        Set<String> foreign = new HashSet<>();
        oomRead.keySet().retainAll(listed);
        for (ServiceStatus s : statuses) {
            Known k = known.get(s.name());
            if (k != null && k.label().isPresent()) {
                Ownership.Label l = k.label().get();
                boolean gone = localPids && s.state().hasProcess() && s.pid() > 0 && processGone(s.pid());
                long ooms = localPids ? oomKillsOf(s) : 0;
                owned.add(new ObservedWorker(s.name(), l.pool(), l.ordinal(), l.templateHash(), s.state(), s.pid(), gone, l.after(), ooms));
                if (s.pid() != 0) {
                    known.put(s.name(), new Known(s.pid(), k.label()));
                }
            } else if (k != null) {
                foreign.add(s.name());
            }
        }
        List<String> slots = zinit.deleteMovesServices() ? statuses.stream().map(ServiceStatus::name).toList() : List.of();
        return new Observation(owned, foreign, slots);
    }
}
