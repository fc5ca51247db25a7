package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The slot rule against Zinit 0.3.9's own delete (petgraph's swap-remove: the last node takes the
 * freed slot; and a delete first deletes the services that start after the deleted one): whatever
 * the list, the deletes it orders never move another service and never take a dependent along, and
 * it parks a delete only when the end of the list is not one it may delete.
 */
class SlotSafeDeletesProperties {
    /** A Zinit list: some services to delete; each may start after services listed before it. */
    record Listing(List<String> slots, Set<String> wanted, Map<String, Set<String>> dependents) {
    }

    @Property(tries = 1000)
    void noDeleteMovesAnotherServiceNorTakesADependentAlong(@ForAll("listings") Listing l) {
        SlotSafeDeletes.Order order = SlotSafeDeletes.order(l.slots(), l.wanted(), l.dependents());
        List<String> zinit = new ArrayList<>(l.slots());
        for (String delete : order.deletes()) {
            assertThat(zinit).as("%s is listed when deleted", delete).contains(delete);
            assertThat(l.dependents().getOrDefault(delete, Set.of())).as("dependents of %s still listed", delete)
                    .doesNotContainAnyElementsOf(zinit);
            int slot = zinit.indexOf(delete);
            String last = zinit.remove(zinit.size() - 1);
            assertThat(last).as("deleting %s moves %s", delete, last).isEqualTo(delete);
            assertThat(slot).isEqualTo(zinit.size());
        }
        assertThat(order.deletes()).doesNotHaveDuplicates();
        Set<String> done = new HashSet<>(order.deletes());
        done.addAll(order.parked());
        assertThat(done).isEqualTo(l.wanted());
        if (!order.parked().isEmpty() && !zinit.isEmpty()) {
            String last = zinit.get(zinit.size() - 1);
            boolean deletable = l.wanted().contains(last) && !l.dependents().getOrDefault(last, Set.of()).stream().anyMatch(zinit::contains);
            assertThat(deletable).as("parked %s while the end of the list (%s) could go", order.parked(), last).isFalse();
        }
    }

    @Test
    void withoutSlotsDependentsGoFirst() {
        SlotSafeDeletes.Order order = SlotSafeDeletes.order(List.of(), Set.of("db-0", "app-0", "x-0"),
                Map.of("db-0", Set.of("app-0"), "x-0", Set.of("stays-0")));
        assertThat(order.deletes()).containsExactly("app-0", "db-0");
        assertThat(order.parked()).containsExactly("x-0");
    }

    @Test
    void aDeleteBehindAnotherServiceIsParked() {
        assertThat(SlotSafeDeletes.order(List.of("a", "b", "c"), Set.of("a"), Map.of()).parked()).containsExactly("a");
        assertThat(SlotSafeDeletes.order(List.of("a", "b", "c"), Set.of("b", "c"), Map.of()).deletes()).containsExactly("c", "b");
        // c starts after a: deleting a would delete c first, moving nothing, but c is not to go
        assertThat(SlotSafeDeletes.order(List.of("b", "a"), Set.of("a"), Map.of("a", Set.of("b"))).parked()).containsExactly("a");
    }

    @Provide
    Arbitrary<Listing> listings() {
        Arbitrary<List<Boolean>> wanted = Arbitraries.of(true, false).list().ofMaxSize(12);
        Arbitrary<List<Integer>> after = Arbitraries.integers().between(-4, 11).list().ofSize(12);
        return Combinators.combine(wanted, after).as((w, a) -> {
            List<String> slots = new ArrayList<>();
            Set<String> chosen = new HashSet<>();
            Map<String, Set<String>> dependents = new HashMap<>();
            for (int i = 0; i < w.size(); i++) {
                String name = "s" + i;
                slots.add(name);
                if (w.get(i)) {
                    chosen.add(name);
                }
                int on = a.get(i);
                if (on >= 0 && on < i) { // a service starts after one listed before it (or, after moves, anywhere)
                    dependents.computeIfAbsent("s" + on, k -> new HashSet<>()).add(name);
                } else if (on >= 0 && on > i && on < w.size() && on % 3 == 0) {
                    dependents.computeIfAbsent("s" + on, k -> new HashSet<>()).add(name);
                }
            }
            return new Listing(slots, chosen, dependents);
        });
    }
}
