package dev.herd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.reconcile.Condition;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.WorkerStatus;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herd status [NAME]}: the pools of a running Herd as {@code kubectl get} shows Deployments,
 * or one pool's workers and conditions. Exit 1 when a pool shown is not Ready or is Degraded, so a
 * deploy script can wait on it.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the pools of a running Herd (or one pool's workers and conditions).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every pool shown is Ready and not Degraded",
                "1:a pool is not Ready, is Degraded, or its launch is refused",
                "2:Herd is unreachable, the pool is unknown, or bad usage"})
public final class StatusCommand implements Callable<Integer> {
    static final List<String> POOL_HEADER = List.of("POOL", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "GENERATION", "CONDITIONS");
    static final List<String> WORKER_HEADER = List.of("WORKER", "STATE", "PHASE", "PID", "RESTARTS", "AGE", "TEMPLATE");
    static final List<String> CONDITION_HEADER = List.of("CONDITION", "STATUS", "REASON", "SINCE", "MESSAGE");

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "a pool: show its workers and conditions")
    Optional<String> name = Optional.empty();

    @Mixin
    LiveOptions live;

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String path = name.map(n -> "api/v1/pools/" + URLEncoder.encode(n, StandardCharsets.UTF_8)).orElse("api/v1/pools");
        Optional<LiveOptions.Answer<List<PoolStatus>>> answer = name.isPresent()
                ? live.<PoolStatus>ask("status", path, HerdHttp.JSON.constructType(PoolStatus.class), err)
                        .map(a -> new LiveOptions.Answer<>(a.body(), List.of(a.value())))
                : live.ask("status", path, HerdHttp.JSON.getTypeFactory().constructCollectionType(List.class, PoolStatus.class), err);
        if (answer.isEmpty()) {
            return ExitCodes.UNUSABLE;
        }
        JsonNode body = answer.get().body();
        List<PoolStatus> pools = answer.get().value();
        if (live.output == Output.json) {
            out.println(body.toPrettyString());
        } else {
            render(pools, name.isPresent(), clock.instant()).forEach(out::println);
        }
        List<String> unhappy = pools.stream().filter(p -> !healthy(p)).map(PoolStatus::name).toList();
        if (!unhappy.isEmpty()) {
            err.println("status: not as desired: " + String.join(", ", unhappy)
                    + (name.isPresent() ? "" : " (herd status NAME shows why)"));
            return ExitCodes.NOT_AS_DESIRED;
        }
        return ExitCodes.OK;
    }

    static boolean healthy(PoolStatus p) {
        return p.condition(Condition.READY) && !p.condition(Condition.DEGRADED) && !p.condition(Condition.LAUNCH_REFUSED);
    }

    /** The table(s) for {@code pools}; with {@code detail}, each pool's workers and conditions follow. Pure. */
    static List<String> render(List<PoolStatus> pools, boolean detail, Instant now) {
        if (pools.isEmpty()) {
            return List.of("No pools: the desired state has none (or Herd has not read it yet).");
        }
        List<List<String>> rows = pools.stream().map(StatusCommand::poolRow).toList();
        List<String> lines = new ArrayList<>(Table.render(POOL_HEADER, rows));
        if (detail) {
            for (PoolStatus p : pools) {
                lines.add("");
                if (p.workers().isEmpty()) {
                    lines.add("No workers.");
                } else {
                    lines.addAll(Table.render(WORKER_HEADER, p.workers().stream().map(w -> workerRow(w, now)).toList()));
                }
                lines.add("");
                lines.addAll(Table.render(CONDITION_HEADER, p.conditions().stream().map(c -> conditionRow(c, now)).toList()));
            }
        }
        return lines;
    }

    private static List<String> poolRow(PoolStatus p) {
        List<String> held = p.conditions().stream().filter(Condition::status).map(Condition::type).toList();
        return List.of(p.name(), Integer.toString(p.desiredReplicas()), Integer.toString(p.currentReplicas()),
                Integer.toString(p.readyReplicas()), Integer.toString(p.updatedReplicas()),
                p.observedGeneration() + "/" + p.generation(), held.isEmpty() ? "-" : String.join(",", held));
    }

    private static List<String> workerRow(WorkerStatus w, Instant now) {
        return List.of(w.name(), w.state(), w.phase().text(), w.pid() == 0 ? "-" : Integer.toString(w.pid()),
                w.restarts() + w.lastTermination().map(t -> " (" + t.reason() + " " + Ages.between(t.at(), now) + " ago)").orElse(""),
                Ages.between(w.firstSeen(), now), w.templateHash());
    }

    private static List<String> conditionRow(Condition c, Instant now) {
        return List.of(c.type(), c.status() ? "True" : "False", c.reason(), Ages.between(c.lastTransitionTime(), now), c.message());
    }
}
