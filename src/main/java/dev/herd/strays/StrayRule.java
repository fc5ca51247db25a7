package dev.herd.strays;

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
    public static List<HostProcess> unsupervised(Collection<HostProcess> processes, Set<Long> zinitPids) {
        Map<Long, HostProcess> byPid = new HashMap<>();
        processes.forEach(p -> byPid.put(p.pid(), p));
        List<HostProcess> out = new ArrayList<>();
        for (HostProcess p : processes) {
            if (!supervised(p, byPid, zinitPids)) {
                out.add(p);
            }
        }
        return out;
    }

    /** An unsupervised process whose environment names this controller as its owner. */
    public record Labelled(HostProcess process, Ownership.Label label) {
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

    private static boolean supervised(HostProcess p, Map<Long, HostProcess> byPid, Set<Long> zinitPids) {
        Set<Long> seen = new HashSet<>();
        for (HostProcess at = p; at != null && seen.add(at.pid()); at = byPid.get(at.parent())) {
            if (zinitPids.contains(at.pid())) {
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
     * family is Zinit's when its topmost member's parent is a zinit-server ({@code zinitServers}:
     * the parents of the pids Zinit lists).
     */
    public static Map<Labelled, Treatment> treatment(List<Labelled> confirmed, Map<Long, HostProcess> all, Set<Long> zinitServers) {
        Set<Long> strayPids = new HashSet<>();
        confirmed.forEach(l -> strayPids.add(l.process().pid()));
        Map<Labelled, Treatment> out = new java.util.LinkedHashMap<>();
        for (Labelled l : confirmed) {
            HostProcess top = l.process();
            Set<Long> seen = new HashSet<>();
            while (strayPids.contains(top.parent()) && all.containsKey(top.parent()) && seen.add(top.pid())) {
                top = all.get(top.parent());
            }
            boolean zinits = zinitServers.contains(top.parent());
            out.put(l, !zinits ? Treatment.KILL : l.process().stopped() ? Treatment.LEAVE : Treatment.FREEZE);
        }
        return out;
    }

    /** A process by pid and start time: the same process in two scans. */
    public record Key(long pid, long startTicks) {
        static Key of(HostProcess p) {
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
