package dev.herd.api;

import dev.herd.reconcile.PoolStatus;
import dev.herd.reconcile.ReconcileLoop;
import dev.herd.reconcile.WorkerStatus;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Workers' output, as {@code kubectl logs} gives it: a snapshot of the last lines, or with
 * {@code follow=true} the last lines and then every new one as it comes (a chunked
 * {@code text/plain} response that lasts until the client hangs up). One line per output line:
 * {@code <time> [<worker>] <stdout|stderr|-> <text>}; the worker appears in a pool's logs, where
 * workers' lines are interleaved by time. The stream is {@code -} where the Zinit dialect does not say.
 */
@Path("/api/v1")
@Produces(MediaType.TEXT_PLAIN)
@jakarta.inject.Singleton
public class LogsResource {
    private static final int MAX_LINES = 10_000;

    @Inject
    dev.herd.config.HerdConfig config;

    /** Followed logs now: each holds a Zinit connection per worker until its client hangs up. */
    private final java.util.concurrent.atomic.AtomicInteger following = new java.util.concurrent.atomic.AtomicInteger();

    @Inject
    ReconcileLoop loop;

    @Inject
    ZinitClient zinit;

    @GET
    @Path("/workers/{name}/logs")
    public Multi<String> worker(@PathParam("name") String name, @QueryParam("lines") @DefaultValue("100") int lines,
                                @QueryParam("follow") @DefaultValue("false") boolean follow) {
        checkLines(lines);
        WorkerStatus worker = loop.snapshot().pools().values().stream().flatMap(p -> p.workers().stream())
                .filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new Problem.Failure(Response.Status.NOT_FOUND, "unknown-worker", "Unknown worker",
                        "no worker '" + name + "' in Herd's pools; workers: " + allWorkers()));
        Multi<LogLine> out = follow ? counted(() -> zinit.follow(worker.name(), lines)) : snapshot(List.of(worker.name()), lines);
        return out.map(l -> LogFormat.line(l, false)).onFailure().recoverWithMulti(this::failed);
    }

    @GET
    @Path("/pools/{name}/logs")
    public Multi<String> pool(@PathParam("name") String name, @QueryParam("lines") @DefaultValue("100") int lines,
                              @QueryParam("follow") @DefaultValue("false") boolean follow) {
        checkLines(lines);
        PoolStatus pool = loop.snapshot().pools().get(name);
        if (pool == null) {
            throw new Problem.Failure(Response.Status.NOT_FOUND, "unknown-pool", "Unknown pool",
                    "no pool '" + name + "' in the desired state; known pools: " + loop.snapshot().pools().keySet().stream().sorted().toList());
        }
        List<String> workers = pool.workers().stream().map(WorkerStatus::name).toList();
        // the workers of the pool when asked: a worker created later is not followed (ask again)
        Multi<LogLine> out = follow
                ? counted(() -> Multi.createBy().merging().streams(workers.stream().map(w -> zinit.follow(w, lines)
                        .onFailure(ZinitException.ServiceNotFound.class).recoverWithCompletion()).toList()))
                : snapshot(workers, lines);
        return out.map(l -> LogFormat.line(l, true)).onFailure().recoverWithMulti(this::failed);
    }

    /** A followed log, one of at most herd.api.max-log-followers at once (429 beyond). */
    private Multi<LogLine> counted(java.util.function.Supplier<Multi<LogLine>> follow) {
        int most = config.api().maxLogFollowers();
        if (following.incrementAndGet() > most) {
            following.decrementAndGet();
            throw new Problem.Failure(Response.Status.TOO_MANY_REQUESTS, "too-many-followers", "Too many followed logs",
                    most + " logs are followed already (herd.api.max-log-followers); stop one, or read a snapshot without follow=true");
        }
        return follow.get().onTermination().invoke(following::decrementAndGet);
    }

    /** Each worker's last {@code lines} lines, interleaved by capture time (workers removed meanwhile are skipped). */
    private Multi<LogLine> snapshot(List<String> workers, int lines) {
        if (workers.isEmpty()) {
            return Multi.createFrom().empty();
        }
        List<Uni<List<LogLine>>> reads = workers.stream().map(w -> zinit.logs(w, lines)
                .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem(List.<LogLine>of())).toList();
        return Uni.join().all(reads).andFailFast().onItem().transformToMulti(all -> {
            List<LogLine> merged = new ArrayList<>();
            all.forEach(merged::addAll);
            merged.sort(Comparator.comparingLong(LogLine::timestampMs)); // stable: one worker's order is kept
            return Multi.createFrom().iterable(merged);
        });
    }

    /** Once lines may have been sent, the status cannot change: the failure becomes the last line. */
    private Multi<String> failed(Throwable e) {
        return Multi.createFrom().item("# herd: reading logs from Zinit failed: " + e.getMessage() + "\n");
    }

    private static void checkLines(int lines) {
        if (lines < 0 || lines > MAX_LINES) {
            throw new Problem.Failure(Response.Status.BAD_REQUEST, "bad-lines", "Bad lines",
                    "lines=" + lines + " is out of range; give 0 to " + MAX_LINES);
        }
    }

    private List<String> allWorkers() {
        return loop.snapshot().pools().values().stream().flatMap(p -> p.workers().stream()).map(WorkerStatus::name).sorted().toList();
    }
}
