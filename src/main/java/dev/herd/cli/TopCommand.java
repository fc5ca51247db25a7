package dev.herd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ResourceUsage;
import dev.herd.reconcile.WorkerStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herd top [POOL]}: each worker's CPU and memory (with its children) at Herd's last sample,
 * as {@code kubectl top pods} shows them.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Shows each worker's CPU and memory (its whole process group) at Herd's last sample.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:figures shown", "2:Herd is unreachable, the pool is unknown, or bad usage"})
public final class TopCommand implements Callable<Integer> {
    static final List<String> HEADER = List.of("POOL", "WORKER", "PID", "CPU%", "MEMORY", "PROCS", "SOURCE");

    @Parameters(arity = "0..1", paramLabel = "POOL", description = "only this pool's workers")
    Optional<String> pool = Optional.empty();

    @Mixin
    LiveOptions live;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var answer = live.<List<PoolStatus>>ask("top", "api/v1/pools",
                HerdHttp.JSON.getTypeFactory().constructCollectionType(List.class, PoolStatus.class), spec.commandLine().getErr());
        if (answer.isEmpty()) {
            return ExitCodes.UNUSABLE;
        }
        List<PoolStatus> pools = answer.get().value().stream().filter(p -> pool.map(p.name()::equals).orElse(true)).toList();
        if (pool.isPresent() && pools.isEmpty()) {
            spec.commandLine().getErr().println("top: no pool '" + pool.get() + "'; known pools: "
                    + answer.get().value().stream().map(PoolStatus::name).toList());
            return ExitCodes.UNUSABLE;
        }
        if (live.output == Output.json) {
            JsonNode body = HerdHttp.JSON.valueToTree(pools);
            out.println(body.toPrettyString());
        } else {
            render(pools).forEach(out::println);
        }
        return ExitCodes.OK;
    }

    /** The table: one row per worker; {@code -} where no sample was taken yet. Pure. */
    static List<String> render(List<PoolStatus> pools) {
        List<List<String>> rows = new ArrayList<>();
        for (PoolStatus p : pools) {
            for (WorkerStatus w : p.workers()) {
                Optional<ResourceUsage> u = w.usage();
                rows.add(List.of(p.name(), w.name(), w.pid() == 0 ? "-" : Integer.toString(w.pid()),
                        u.map(x -> String.format(Locale.ROOT, "%.1f", x.cpuPercent())).orElse("-"),
                        u.map(x -> bytes(x.memoryBytes())).orElse("-"),
                        u.map(x -> Integer.toString(x.processes())).orElse("-"),
                        u.map(ResourceUsage::source).orElse("-")));
            }
        }
        if (rows.isEmpty()) {
            return List.of("No workers.");
        }
        return Table.render(HEADER, rows);
    }

    /** Bytes as kubectl prints memory: Ki, Mi, Gi. */
    static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1fGi", b / (double) (1L << 30));
        }
        if (b >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1fMi", b / (double) (1L << 20));
        }
        return (b >> 10) + "Ki";
    }
}
