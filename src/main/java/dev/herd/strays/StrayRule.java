package dev.herd.strays;

import dev.herd.introspect.ProcessTable.Proc;
import dev.herd.reconcile.Ownership;
import dev.herd.reconcile.WorkerNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pure rule: which processes are strays, and when one has been a stray long enough to kill.
 * In two steps, so that only processes outside Zinit's services have their environment read.
 */
public final class StrayRule {
    private StrayRule() {
    }

    /** The processes that neither are nor descend from a pid Zinit shows. */
    public static List<Proc> unsupervised(Collection<Proc> processes, Set<Long> zinitPids) {
        Map<Long, Proc> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put((long) p.pid(), p));
        List<Proc> out = new ArrayList<>();
        for (Proc p : processes) {
            if (!supervised(p, byPid, zinitPids)) {
                out.add(p);
            }
        }
        return out;
    }

    /** An unsupervised process whose environment names this controller as its owner. */
    public record Labelled(Proc process, Ownership.Label label) {
        public String worker() {
            return WorkerNames.of(label.pool(), label.ordinal());
        }
    }

    /**
     * What Zinit's list says of a worker's service.
     *
     * @param pid       the process Zinit shows for it, 0 for none
     * @param pidIsItsOwn that process carries this worker's labels: Zinit 0.3.9 can show another
     *                  service's pid (or a dead one) after a delete shifts slots, and then the
     *                  worker's real process is not known
     */
    public record Listed(long pid, boolean pidIsItsOwn) {
    }

    /**
     * The strays among unsupervised, labelled processes: those of a worker Zinit has no service for,
     * and those of a worker whose service runs another process of its own (a predecessor left behind).
     * Not judged: a worker being removed (the removal owns its processes until its deadline), and a
     * worker whose service shows no process or one that is not its own (its real process may be this one).
     */
    public static List<Labelled> strays(Collection<Labelled> unsupervised, Map<String, Listed> services, Set<String> terminatingWorkers) {
        return unsupervised.stream().filter(l -> !terminatingWorkers.contains(l.worker())).filter(l -> {
            Listed listed = services.get(l.worker());
            return listed == null || (listed.pid() > 0 && listed.pidIsItsOwn());
        }).toList();
    }

    private static boolean supervised(Proc p, Map<Long, Proc> byPid, Set<Long> zinitPids) {
        Set<Long> seen = new HashSet<>();
        for (Proc at = p; at != null && seen.add((long) at.pid()); at = byPid.get((long) at.parent())) {
            if (zinitPids.contains((long) at.pid())) {
                return true;
            }
        }
        return false;
    }

    /** What to do with a confirmed stray. */
    public enum Treatment {
        /** SIGKILL: nothing watches it, so its end is nobody's event. */
        KILL,
        /**
         * SIGSTOP: zinit-server still waits for it (its family's top is zinit-server's own child).
         * Zinit 0.3.9 would take its exit for the exit of whichever service holds the slot it was
         * started in, restart that service, and so leave that service's running process behind: a
         * new stray at every kill. A stopped process takes no job, answers no ping, beats for no job
         * (Herd requeues what it held) and never exits; once zinit-server no longer waits for it
         * (a restart of Zinit), it is killed.
         */
        FREEZE,
        /** Nothing: frozen already, and still waited for. */
        LEAVE
    }

    /**
     * What to do with each confirmed stray. A stray's family is it and its stray ancestors; the
     * family is Zinit's when its topmost member is a process Zinit started: a child of a
     * zinit-server ({@code zinitServers}: the parents of the services Zinit lists) that leads a
     * process group of its own and no session (as Zinit starts services). An orphan adopted by a
     * Zinit running as PID 1 fails that test, and is killed.
     */
    public static Map<Labelled, Treatment> treatment(List<Labelled> confirmed, Map<Long, Proc> all, Set<Long> zinitServers) {
        Set<Long> strayPids = new HashSet<>();
        confirmed.forEach(l -> strayPids.add((long) l.process().pid()));
        Map<Labelled, Treatment> out = new java.util.LinkedHashMap<>();
        for (Labelled l : confirmed) {
            Proc top = l.process();
            Set<Long> seen = new HashSet<>();
            while (strayPids.contains((long) top.parent()) && all.containsKey((long) top.parent()) && seen.add((long) top.pid())) {
                top = all.get((long) top.parent());
            }
            boolean zinits = zinitServers.contains((long) top.parent()) && top.leadsGroupNotSession();
            out.put(l, !zinits ? Treatment.KILL : l.process().stopped() ? Treatment.LEAVE : Treatment.FREEZE);
        }
        return out;
    }

    /** A process by pid and start time: the same process in two scans. */
    public record Key(long pid, long startTicks) {
        static Key of(Proc p) {
            return new Key(p.pid(), p.startTicks());
        }
    }

    /**
     * Since when each current stray has been seen a stray, scan after scan. A process that is a
     * stray in one scan only (it forked between Zinit's list and the read of /proc, or its service
     * was created in between) is forgotten at the next.
     */
    public record Sightings(Map<Key, Instant> since) {
        public Sightings {
            since = Map.copyOf(since);
        }

        public static Sightings none() {
            return new Sightings(Map.of());
        }

        /** This scan's strays in; the sightings after it, and the strays seen in an earlier scan at least {@code grace} ago. */
        public Verdict see(List<Labelled> strays, Instant now, Duration grace) {
            Map<Key, Instant> next = new HashMap<>();
            List<Labelled> confirmed = new ArrayList<>();
            for (Labelled l : strays) {
                Key key = Key.of(l.process());
                Instant first = since.getOrDefault(key, now);
                next.put(key, first);
                if (since.containsKey(key) && !now.isBefore(first.plus(grace))) {
                    confirmed.add(l);
                }
            }
            return new Verdict(new Sightings(next), List.copyOf(confirmed));
        }
    }

    public record Verdict(Sightings next, List<Labelled> confirmed) {
    }
}
