package dev.herd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herd.reconcile.WorkerPhase;
import dev.herd.api.PlanResource;
import dev.herd.reconcile.Condition;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.WorkerStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table shapes of {@code status} and {@code plan} (pure), and what happens when Herd cannot be asked. */
class LiveCommandsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private static PoolStatus osis() {
        Instant t = NOW.minusSeconds(300);
        return new PoolStatus("osis", 3, 2, 1, 2, 4, 3, List.of(
                new Condition(Condition.READY, false, "WorkersNotReady", "1 of 3 workers ready, 2 on the current template", t),
                new Condition(Condition.PROGRESSING, true, "ScalingUp", "1 action(s) under way: CreateWorker osis-2", t),
                new Condition(Condition.DEGRADED, false, "AsExpected", "no failures", NOW.minusSeconds(7200))),
                List.of(new WorkerStatus("osis-0", "RUNNING", 4242, 0, NOW.minusSeconds(45), "0a1b2c3d4e", WorkerPhase.READY),
                        new WorkerStatus("osis-1", "SPAWNED", 0, 2, NOW.minusSeconds(3 * 86400), "0a1b2c3d4e", WorkerPhase.STARTING)));
    }

    @Test
    void poolTableLooksLikeKubectlGet() {
        PoolStatus sal = new PoolStatus("sal", 1, 1, 1, 1, 1, 1, List.of(
                new Condition(Condition.READY, true, "AllWorkersReady", "", NOW)), List.of());
        assertThat(StatusCommand.render(List.of(osis(), sal), false, NOW)).containsExactly(
                "POOL   DESIRED   CURRENT   READY   UP-TO-DATE   GENERATION   CONDITIONS",
                "osis   3         2         1       2            3/4          Progressing",
                "sal    1         1         1       1            1/1          Ready");
    }

    @Test
    void onePoolShowsItsWorkersAndConditions() {
        assertThat(StatusCommand.render(List.of(osis()), true, NOW)).containsExactly(
                "POOL   DESIRED   CURRENT   READY   UP-TO-DATE   GENERATION   CONDITIONS",
                "osis   3         2         1       2            3/4          Progressing",
                "",
                "WORKER   STATE     PHASE      PID    RESTARTS   AGE   TEMPLATE",
                "osis-0   RUNNING   Ready      4242   0          45s   0a1b2c3d4e",
                "osis-1   SPAWNED   Starting   -      2          3d    0a1b2c3d4e",
                "",
                "CONDITION     STATUS   REASON            SINCE   MESSAGE",
                "Ready         False    WorkersNotReady   5m      1 of 3 workers ready, 2 on the current template",
                "Progressing   True     ScalingUp         5m      1 action(s) under way: CreateWorker osis-2",
                "Degraded      False    AsExpected        2h      no failures");
    }

    @Test
    void noPoolsSaysSo() {
        assertThat(StatusCommand.render(List.of(), false, NOW))
                .containsExactly("No pools: the desired state has none (or Herd has not read it yet).");
    }

    @Test
    void planTableListsStagesAndConflicts() {
        PlanResource.PlanView plan = new PlanResource.PlanView(List.of(
                new PlanResource.PlannedAction(0, "RemoveWorker", "app", "app-1", "scale down to 1"),
                new PlanResource.PlannedAction(1, "CreateWorker", "db", "db-2", "scale up to 3")), List.of("db-1"));
        assertThat(PlanCommand.render(plan)).containsExactly(
                "STAGE   ACTION         POOL   WORKER   REASON",
                "0       RemoveWorker   app    app-1    scale down to 1",
                "1       CreateWorker   db     db-2     scale up to 3",
                "2 actions pending; stages run in order, the actions of a stage in parallel.",
                "Skipped, not owned by this Herd: db-1");
        assertThat(PlanCommand.render(new PlanResource.PlanView(List.of(), List.of())))
                .containsExactly("No actions: Zinit matches the desired state.");
    }

    @Test
    void unreachableHerdExitsTwoSayingWhatToDo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "http://127.0.0.1:" + port;
        assertThat(run("status", "--url", url, "--timeout", "2")).isEqualTo(2);
        assertThat(err.toString()).startsWith("status: cannot reach Herd at " + url + " (")
                .endsWith("); start it (bin/up) or point --url at it\n");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run("plan", "--url", url, "--timeout", "2")).isEqualTo(2);
        assertThat(err.toString()).startsWith("plan: cannot reach Herd at " + url + " (");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run("status", "--output", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("Invalid value for option '--output'").contains("table, json");
        assertThat(run("plan", "extra")).isEqualTo(2);
    }

    private int run(String... args) {
        picocli.CommandLine cli = HerdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
