package dev.herd.zinit.detect;

import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceStats;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.transport.LineProtocolTransport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A client for {@code herd.zinit.dialect=auto}: constructing it does no I/O; the first call probes
 * the socket ({@link DialectProbe}), makes the client for the dialect found and keeps it. Concurrent
 * first calls share one probe. A probe that fails (Zinit not up yet, silent, unreadable) is not
 * kept: the next call probes again, so Herd can start before Zinit does.
 */
public final class AutoDetectingZinitClient implements ZinitClient {
    private final LineProtocolTransport probe;
    private final Duration timeout;
    private final Function<Dialect, ZinitClient> clients;
    private volatile ZinitClient detected;
    private Uni<ZinitClient> probing;
    private boolean closed;

    /**
     * @param probe   the transport the probes go over (closed with this client)
     * @param timeout limit of each probe exchange
     * @param clients makes the client for a detected dialect
     */
    public AutoDetectingZinitClient(LineProtocolTransport probe, Duration timeout, Function<Dialect, ZinitClient> clients) {
        this.probe = probe;
        this.timeout = timeout;
        this.clients = clients;
    }

    /** The detected dialect's name, or "auto" before the first successful probe. */
    @Override
    public String dialect() {
        ZinitClient client = detected;
        return client == null ? "auto" : client.dialect();
    }

    /** The client for the detected dialect, probing first if need be. */
    public synchronized Uni<ZinitClient> client() {
        if (closed) {
            return Uni.createFrom().failure(new ZinitException.ZinitUnavailable("the Zinit client for " + probe.socket() + " is closed"));
        }
        if (detected != null) {
            return Uni.createFrom().item(detected);
        }
        if (probing == null) {
            // Forgetting a failed probe happens inside the shared Uni, whoever subscribed first.
            probing = DialectProbe.detect(probe, timeout).map(this::adopt)
                    .onFailure().invoke(this::forgetProbe)
                    .memoize().indefinitely();
        }
        return probing;
    }

    private synchronized ZinitClient adopt(Dialect dialect) {
        if (closed) {
            throw new ZinitException.ZinitUnavailable("the Zinit client for " + probe.socket() + " is closed");
        }
        if (detected == null) {
            detected = clients.apply(dialect);
        }
        return detected;
    }

    /** Only the current probe can fail: a new one starts only once this has cleared it. */
    private synchronized void forgetProbe() {
        probing = null;
    }

    private <T> Uni<T> with(Function<ZinitClient, Uni<T>> call) {
        return Uni.createFrom().deferred(this::client).chain(c -> call.apply(c));
    }

    @Override
    public Uni<String> ping() {
        return with(ZinitClient::ping);
    }

    @Override
    public Uni<List<ServiceStatus>> list() {
        return with(ZinitClient::list);
    }

    @Override
    public Uni<ServiceStatus> status(String name) {
        return with(c -> c.status(name));
    }

    @Override
    public Uni<Map<String, String>> env(String name) {
        return with(c -> c.env(name));
    }

    @Override
    public Uni<Void> create(ServiceSpec spec) {
        return with(c -> c.create(spec));
    }

    /** Known once the dialect is: before the first answer nothing is listed to delete. */
    @Override
    public boolean deleteMovesServices() {
        ZinitClient client = detected;
        return client != null && client.deleteMovesServices();
    }

    @Override
    public Uni<Void> delete(String name) {
        return with(c -> c.delete(name));
    }

    @Override
    public Uni<Void> deleteStopped(String name) {
        return with(c -> c.deleteStopped(name));
    }

    @Override
    public Uni<Void> start(String name) {
        return with(c -> c.start(name));
    }

    @Override
    public Uni<Void> stop(String name) {
        return with(c -> c.stop(name));
    }

    @Override
    public Uni<Void> restart(String name) {
        return with(c -> c.restart(name));
    }

    @Override
    public Uni<Void> kill(String name, String signal) {
        return with(c -> c.kill(name, signal));
    }

    @Override
    public Uni<List<LogLine>> logs(String name, int lines) {
        return with(c -> c.logs(name, lines));
    }

    @Override
    public Multi<LogLine> follow(String name, int backlog) {
        return Multi.createFrom().deferred(() -> client().onItem().transformToMulti(c -> c.follow(name, backlog)));
    }

    @Override
    public Uni<ServiceStats> stats(String name) {
        return with(c -> c.stats(name));
    }

    @Override
    public synchronized void close() {
        closed = true;
        probe.close();
        if (detected != null) {
            detected.close();
        }
    }
}
