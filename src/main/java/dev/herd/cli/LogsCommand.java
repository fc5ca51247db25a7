package dev.herd.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herd logs NAME [-f]}: a worker's output (or a pool's, interleaved, with {@code --pool}), as
 * {@code kubectl logs} shows a pod's: {@code <time> [<worker>] <stdout|stderr> <text>} per line.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Prints a worker's recent output (or a pool's, with --pool); -f follows it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the lines were printed (with -f: Herd ended the stream)",
                "2:Herd is unreachable, the worker or pool is unknown, or bad usage"})
public final class LogsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "a worker, e.g. osis-0 (a pool with --pool)")
    String name;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until interrupted")
    boolean follow;

    @Option(names = {"-p", "--pool"}, description = "NAME is a pool: its workers' lines interleaved, each with the worker's name")
    boolean pool;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100",
            description = "lines per worker to show first (default: ${DEFAULT-VALUE})")
    int lines;

    /** --url and --timeout (how long to wait for Herd to answer; a followed log then lasts); -o does not apply. */
    @Mixin
    LiveOptions live;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String path = "api/v1/" + (pool ? "pools/" : "workers/") + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "/logs?lines=" + lines + (follow ? "&follow=true" : "");
        HerdHttp.Reply reply = live.http().stream(path, line -> {
            out.println(line);
            out.flush();
        });
        if (reply instanceof HerdHttp.Reply.Unreachable u) {
            spec.commandLine().getErr().println("logs: " + u.why());
            return ExitCodes.UNUSABLE;
        }
        if (reply instanceof HerdHttp.Reply.Refused r) {
            spec.commandLine().getErr().println("logs: Herd answered HTTP " + r.status() + ": " + r.detail()
                    + (r.status() == 404 && !pool ? " (for a pool's logs: herd logs --pool NAME)" : ""));
            return ExitCodes.UNUSABLE;
        }
        return ExitCodes.OK;
    }
}
