package dev.herd.reconcile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which deletes Zinit 0.3.9 can take without harm, and in what order. Its services sit in graph
 * slots, listed in slot order; deleting a service moves the last-listed one into the freed slot,
 * and that one loses its process watch, its timers and its log buffer (docs/zinit-protocol.md,
 * "delete shifts identities"). So Herd deletes only from the end of the list: the last service,
 * then the one before it, as long as each is one to delete. A delete also first deletes every
 * service that starts after the deleted one (hazard 3), so a service is deleted only once nothing
 * listed starts after it any more. Pure: the order is simulated on the observed list.
 */
public final class SlotSafeDeletes {
    private SlotSafeDeletes() {
    }

    /**
     * @param deletes in the order to send, one at a time (each assumes those before it were done)
     * @param parked  deletes that would move another service now, or take a dependent with them:
     *                their services stay, stopped
     */
    public record Order(List<String> deletes, Set<String> parked) {
        public Order {
            deletes = List.copyOf(deletes);
            parked = Set.copyOf(parked);
        }
    }

    /**
     * @param slots      every service in Zinit's list order; empty for a Zinit that does not move
     *                   services on delete (then only the dependents decide)
     * @param wanted     services to delete; none has a process
     * @param dependents for a service, the services that start after it (their {@code after})
     */
    public static Order order(List<String> slots, Set<String> wanted, Map<String, Set<String>> dependents) {
        List<String> deletes = new ArrayList<>();
        Set<String> remaining = new TreeSet<>(wanted);
        Set<String> listed = new HashSet<>(slots);
        // not listed: nothing to move (a delete of a name already gone is a no-op)
        for (String w : wanted) {
            if (!slots.isEmpty() && !listed.contains(w)) {
                deletes.add(w);
                remaining.remove(w);
            }
        }
        Set<String> gone = new HashSet<>(deletes);
        if (slots.isEmpty()) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (String w : List.copyOf(remaining)) {
                    if (gone.containsAll(dependents.getOrDefault(w, Set.of()))) {
                        deletes.add(w);
                        gone.add(w);
                        remaining.remove(w);
                        progress = true;
                    }
                }
            }
            return new Order(deletes, remaining);
        }
        List<String> list = new ArrayList<>(slots);
        while (!list.isEmpty()) {
            String last = list.get(list.size() - 1);
            if (!remaining.contains(last) || !gone.containsAll(dependents.getOrDefault(last, Set.of()))) {
                break;
            }
            list.remove(list.size() - 1);
            deletes.add(last);
            gone.add(last);
            remaining.remove(last);
        }
        return new Order(deletes, remaining);
    }
}
