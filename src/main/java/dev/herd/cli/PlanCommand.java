package dev.herd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.api.PlanResource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code herd plan}: what a reconcile pass of a running Herd would do now, without doing it (a dry
 * run, as {@code terraform plan}). Exit 1 when actions are pending, so CI can check a change has
 * been rolled out, or see what a change to the desired state would do before the loop does it.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows the actions a reconcile pass of a running Herd would take now (nothing is changed).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:nothing to do: Zinit matches the desired state",
                "1:actions are pending",
                "2:Herd is unreachable, cannot observe Zinit, or bad usage"})
public final class PlanCommand implements Callable<Integer> {
    static final List<String> HEADER = List.of("STAGE", "ACTION", "POOL", "WORKER", "REASON");

    @Mixin
    LiveOptions live;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var answer = live.<PlanResource.PlanView>ask("plan", "api/v1/plan",
                HerdHttp.JSON.constructType(PlanResource.PlanView.class), spec.commandLine().getErr());
        if (answer.isEmpty()) {
            return ExitCodes.UNUSABLE;
        }
        PlanResource.PlanView plan = answer.get().value();
        JsonNode body = answer.get().body();
        if (live.output == Output.json) {
            out.println(body.toPrettyString());
        } else {
            render(plan).forEach(out::println);
        }
        return plan.actions().isEmpty() ? ExitCodes.OK : ExitCodes.NOT_AS_DESIRED;
    }

    /** The plan as a table, then the names skipped as conflicts. Pure. */
    static List<String> render(PlanResource.PlanView plan) {
        List<String> lines = new ArrayList<>();
        if (plan.actions().isEmpty()) {
            lines.add("No actions: Zinit matches the desired state.");
        } else {
            lines.addAll(Table.render(HEADER, plan.actions().stream().map(a -> List.of(
                    Integer.toString(a.stage()), a.action(), a.pool(), a.worker(), a.reason())).toList()));
            lines.add(plan.actions().size() + (plan.actions().size() == 1 ? " action" : " actions")
                    + " pending; stages run in order, the actions of a stage in parallel.");
        }
        if (!plan.conflicts().isEmpty()) {
            lines.add("Skipped, not owned by this Herd: " + String.join(", ", plan.conflicts()));
        }
        return lines;
    }
}
