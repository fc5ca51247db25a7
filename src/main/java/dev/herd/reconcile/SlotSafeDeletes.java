package dev.herd.reconcile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which deletes Zinit 0.3.9 can take without harm, and in what order. Its services sit in graph
 * slots, listed in slot order; deleting a service moves the last-listed one into the freed slot,
 * and that one loses its process watch, its timers and its log buffer (docs/zinit-protocol.md,
 * "delete shifts identities"). Moving a service that has no process loses nothing that matters. So a
 * delete is safe when it is of the last service, or when the last service has no process (it is
 * another service being deleted, or one Herd keeps stopped). Pure: the order is simulated on the
 * observed list, as Zinit will apply it.
 */
public final class SlotSafeDeletes {
    private SlotSafeDeletes() {
    }

    /**
     * @param deletes in the order to send, one at a time (each assumes those before it were done)
     * @param parked  deletes that would move a running service now: their services stay, stopped,
     *                until the end of Zinit's list has no process again
     */
    public record Order(List<String> deletes, Set<String> parked) {
        public Order {
            deletes = List.copyOf(deletes);
            parked = Set.copyOf(parked);
        }
    }

    /**
     * @param slots     every service in Zinit's list order; empty for a Zinit that does not move
     *                  services on delete (then every delete is safe)
     * @param wanted    services to delete; each has no process
     * @param movable   other services without a process that may be moved to another slot
     */
    public static Order order(List<String> slots, Set<String> wanted, Set<String> movable) {
        List<String> deletes = new ArrayList<>();
        // not listed: nothing to move (a delete of a name already gone is a no-op)
        new TreeSet<>(wanted).stream().filter(w -> slots.isEmpty() || !slots.contains(w)).forEach(deletes::add);
        List<String> list = new ArrayList<>(slots);
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            at.put(list.get(i), i);
        }
        Set<String> remaining = new LinkedHashSet<>();
        wanted.stream().filter(at::containsKey).forEach(remaining::add);
        while (!remaining.isEmpty()) {
            String last = list.get(list.size() - 1);
            String delete;
            if (remaining.contains(last)) {
                delete = last;
            } else if (movable.contains(last)) {
                delete = remaining.stream().max(Comparator.comparingInt(at::get)).orElseThrow();
            } else {
                break;
            }
            int slot = at.remove(delete);
            String moved = list.remove(list.size() - 1);
            if (!moved.equals(delete)) {
                list.set(slot, moved);
                at.put(moved, slot);
            }
            remaining.remove(delete);
            deletes.add(delete);
        }
        return new Order(deletes, remaining);
    }
}
