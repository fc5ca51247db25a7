package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The slot rule against Zinit 0.3.9's own delete (petgraph's swap-remove: the last node takes the
 * freed slot): whatever the list, the deletes it orders never move a service that has a process,
 * and it parks a delete only when the end of the list has a process.
 */
class SlotSafeDeletesProperties {
    /** A Zinit list: each service running, stopped (movable), or stopped and to be deleted. */
    record Listing(List<String> slots, Set<String> wanted, Set<String> movable) {
    }

    @Property(tries = 1000)
    void noDeleteMovesARunningService(@ForAll("listings") Listing l) {
        SlotSafeDeletes.Order order = SlotSafeDeletes.order(l.slots(), l.wanted(), l.movable());
        List<String> zinit = new ArrayList<>(l.slots());
        for (String delete : order.deletes()) {
            int slot = zinit.indexOf(delete);
            assertThat(slot).as("%s is listed when deleted", delete).isNotNegative();
            String last = zinit.remove(zinit.size() - 1);
            if (!last.equals(delete)) {
                assertThat(l.wanted().contains(last) || l.movable().contains(last))
                        .as("deleting %s moves %s, which has a process", delete, last).isTrue();
                zinit.set(slot, last);
            }
        }
        assertThat(order.deletes()).doesNotHaveDuplicates();
        Set<String> done = new HashSet<>(order.deletes());
        done.addAll(order.parked());
        assertThat(done).isEqualTo(l.wanted());
        if (!order.parked().isEmpty()) {
            String last = zinit.get(zinit.size() - 1);
            assertThat(l.wanted().contains(last) || l.movable().contains(last))
                    .as("parked %s while the end of the list (%s) has no process", order.parked(), last).isFalse();
        }
        // every running service keeps its slot
        for (int i = 0; i < l.slots().size(); i++) {
            String s = l.slots().get(i);
            if (!l.wanted().contains(s) && !l.movable().contains(s)) {
                assertThat(zinit.indexOf(s)).as("slot of running %s", s).isEqualTo(i);
            }
        }
    }

    @Test
    void withoutSlotsEveryDeleteGoesAhead() {
        SlotSafeDeletes.Order order = SlotSafeDeletes.order(List.of(), Set.of("b", "a"), Set.of());
        assertThat(order.deletes()).containsExactly("a", "b");
        assertThat(order.parked()).isEmpty();
    }

    @Test
    void aDeleteBehindARunningServiceIsParkedUntilAStoppedOneIsLast() {
        assertThat(SlotSafeDeletes.order(List.of("a", "b", "c"), Set.of("a"), Set.of()).parked()).containsExactly("a");
        // a fresh service made stopped at the end takes the freed slot, then starts there
        SlotSafeDeletes.Order order = SlotSafeDeletes.order(List.of("a", "b", "c", "d"), Set.of("a"), Set.of("d"));
        assertThat(order.deletes()).containsExactly("a");
        assertThat(order.parked()).isEmpty();
        // from the end: nothing moves
        assertThat(SlotSafeDeletes.order(List.of("a", "b", "c"), Set.of("b", "c"), Set.of()).deletes()).containsExactly("c", "b");
    }

    @Provide
    Arbitrary<Listing> listings() {
        return Arbitraries.integers().between(0, 2).list().ofMinSize(0).ofMaxSize(12).map(kinds -> {
            List<String> slots = new ArrayList<>();
            Set<String> wanted = new HashSet<>();
            Set<String> movable = new HashSet<>();
            for (int i = 0; i < kinds.size(); i++) {
                String name = "s" + i;
                slots.add(name);
                if (kinds.get(i) == 1) {
                    movable.add(name);
                } else if (kinds.get(i) == 2) {
                    wanted.add(name);
                }
            }
            return new Listing(slots, wanted, movable);
        });
    }
}
