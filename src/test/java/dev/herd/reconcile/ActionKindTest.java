package dev.herd.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The steps' names are part of the API, the metrics and the events: renaming a class must not change them. */
class ActionKindTest {
    @Test
    void eachKindKeepsItsPublishedNames() {
        assertThat(Arrays.stream(Action.Kind.values()).map(Action.Kind::text)).containsExactly(
                "CreateWorker", "ReuseWorker", "RemoveWorker", "DeleteWorker", "StartWorker", "HoldWorker", "RestartWorker");
        assertThat(Arrays.stream(Action.Kind.values()).map(Action.Kind::eventReason)).containsExactly(
                "Created", "Reused", "Terminating", "Removed", "Started", "CrashLoopBackOff", "Restarted");
    }

    @Test
    void everyStepNamesItsOwnKind() {
        assertThat(new Action.CreateWorker("p", 0, "p-0", "r").kind()).isEqualTo(Action.Kind.CREATE);
        assertThat(new Action.ReuseWorker("p", "p-0", "r").kind()).isEqualTo(Action.Kind.REUSE);
        assertThat(new Action.RemoveWorker("p", "p-0", "r").kind()).isEqualTo(Action.Kind.REMOVE);
        assertThat(new Action.DeleteWorker("p", "p-0", "r").kind()).isEqualTo(Action.Kind.DELETE);
        assertThat(new Action.StartWorker("p", "p-0", "r").kind()).isEqualTo(Action.Kind.START);
        assertThat(new Action.HoldWorker("p", "p-0", "r").kind()).isEqualTo(Action.Kind.HOLD);
        assertThat(new Action.RestartWorker("p", "p-0", "r").kind()).isEqualTo(Action.Kind.RESTART);
        assertThat(Action.class.getPermittedSubclasses()).hasSize(Action.Kind.values().length);
    }
}
