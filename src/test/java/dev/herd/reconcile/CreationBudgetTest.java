package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CreationBudgetTest {
    private static final CreationBudget BUDGET = new CreationBudget(8, 100);

    private static Plan creations(String pool, int n) {
        List<Action> stage = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> stage.add(new Action.CreateWorker(pool, i, pool + "-" + i, "scale up")));
        return new Plan(List.of(stage), List.of(), Optional.empty());
    }

    private static List<String> created(Plan plan) {
        return plan.actions().stream().filter(a -> a instanceof Action.CreateWorker).map(Action::worker).toList();
    }

    @Test
    void aPoolStartsWithOneAndDoublesWhileCreationsSucceed() {
        Map<String, Integer> batches = Map.of();
        List<Integer> sizes = new ArrayList<>();
        int left = 40;
        while (left > 0) {
            CreationBudget.Limited pass = BUDGET.apply(creations("osis", left), batches, 40 - left);
            List<Action> done = pass.plan().actions();
            sizes.add(done.size());
            left -= done.size();
            batches = BUDGET.next(batches, pass, done.stream().map(ActionOutcome::ok).toList());
        }
        assertThat(sizes).as("1, 2, 4, then the burst of 8 a pass").containsExactly(1, 2, 4, 8, 8, 8, 8, 1);
        assertThat(batches).as("forgotten once the pool has nothing left to create").isEmpty();
    }

    @Test
    void aFailedCreationTakesThePoolBackToOne() {
        Map<String, Integer> batches = Map.of("osis", 4);
        CreationBudget.Limited pass = BUDGET.apply(creations("osis", 10), batches, 0);
        assertThat(created(pass.plan())).containsExactly("osis-0", "osis-1", "osis-2", "osis-3");
        List<ActionOutcome> outcomes = new ArrayList<>(pass.plan().actions().stream().map(ActionOutcome::ok).toList());
        outcomes.set(2, ActionOutcome.failed(pass.plan().actions().get(2), new IllegalStateException("zinit said no")));
        assertThat(BUDGET.next(batches, pass, outcomes)).containsEntry("osis", 1);
    }

    @Test
    void theHostCapCountsEveryWorkerOfThisHerdAndSaysItBinds() {
        CreationBudget.Limited pass = new CreationBudget(64, 10).apply(creations("osis", 5), Map.of("osis", 64), 8);
        assertThat(created(pass.plan())).containsExactly("osis-0", "osis-1");
        assertThat(pass.withheld()).containsEntry("osis", CreationBudget.Limit.HOST_CAP);
        CreationBudget.Limited full = new CreationBudget(64, 10).apply(creations("osis", 5), Map.of("osis", 64), 12);
        assertThat(created(full.plan())).isEmpty();
    }

    @Test
    void aPoolWaitsUntilThePoolsItStartsAfterAreCreatedInFull() {
        Plan plan = new Plan(List.of(creations("db", 3).actions(), creations("app", 3).actions()), List.of(), Optional.empty());
        Map<String, Integer> batches = Map.of();
        List<String> order = new ArrayList<>();
        for (int pass = 0; pass < 10 && order.size() < 6; pass++) {
            List<Action> left = plan.actions().stream().filter(a -> !order.contains(a.worker())).toList();
            Plan remaining = new Plan(List.of(left.stream().filter(a -> a.pool().equals("db")).toList(),
                    left.stream().filter(a -> a.pool().equals("app")).toList()), List.of(), Optional.empty());
            CreationBudget.Limited limited = BUDGET.apply(remaining, batches, order.size());
            if (limited.withheld().containsKey("db")) {
                assertThat(limited.withheld()).containsEntry("app", CreationBudget.Limit.ORDER);
            }
            limited.plan().actions().forEach(a -> order.add(a.worker()));
            batches = BUDGET.next(batches, limited, limited.plan().actions().stream().map(ActionOutcome::ok).toList());
        }
        assertThat(order).containsExactly("db-0", "db-1", "db-2", "app-0", "app-1", "app-2");
        assertThat(CreationBudget.Limit.ORDER.passesOnItsOwn()).isFalse();
        assertThat(CreationBudget.Limit.HOST_CAP.passesOnItsOwn()).isFalse();
    }

    @Test
    void removalsStartsAndDeletesAreNeverHeldBack() {
        List<Action> stage = new ArrayList<>(creations("osis", 20).actions());
        stage.add(new Action.RemoveWorker("sal", "sal-3", "scale down"));
        stage.add(new Action.StartWorker("sal", "sal-1", "down"));
        stage.add(new Action.DeleteWorker("sal", "sal-4", "gone"));
        CreationBudget.Limited pass = new CreationBudget(8, 0).apply(new Plan(List.of(stage), List.of(), Optional.empty()), Map.of(), 50);
        assertThat(pass.plan().actions()).extracting(Action::worker).containsExactly("sal-3", "sal-1", "sal-4");
    }

    /** Whatever the plan and the memory: within the burst, the cap and each pool's batch, lowest ordinals first. */
    @Property(tries = 300)
    void aPassNeverCreatesMoreThanItsLimitsAllow(@ForAll @IntRange(max = 5) int pools, @ForAll @IntRange(max = 30) int each,
                                                  @ForAll @IntRange(min = 1, max = 20) int burst, @ForAll @IntRange(max = 60) int cap,
                                                  @ForAll @IntRange(max = 70) int onHost, @ForAll @IntRange(min = 1, max = 16) int batch) {
        List<Action> stage = new ArrayList<>();
        Map<String, Integer> batches = new HashMap<>();
        for (int p = 0; p < pools; p++) {
            stage.addAll(creations("p" + p, each).actions());
            batches.put("p" + p, batch);
        }
        CreationBudget budget = new CreationBudget(burst, cap);
        CreationBudget.Limited pass = budget.apply(new Plan(List.of(stage), List.of(), Optional.empty()), batches, onHost);
        List<Action> kept = pass.plan().actions();
        assertThat(kept.size()).isLessThanOrEqualTo(burst).isLessThanOrEqualTo(Math.max(0, cap - onHost));
        for (int p = 0; p < pools; p++) {
            String pool = "p" + p;
            List<Integer> ordinals = kept.stream().filter(a -> a.pool().equals(pool)).map(a -> ((Action.CreateWorker) a).ordinal()).toList();
            assertThat(ordinals.size()).isLessThanOrEqualTo(batch);
            assertThat(ordinals).isEqualTo(IntStream.range(0, ordinals.size()).boxed().toList());
            assertThat(pass.withheld().containsKey(pool)).isEqualTo(ordinals.size() < each);
        }
    }
}
