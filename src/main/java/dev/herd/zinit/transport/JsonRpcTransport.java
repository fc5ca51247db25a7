package dev.herd.zinit.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON-RPC to one Zinit socket over a small pool of persistent connections.
 *
 * <p>Zinit v0.3 answers the requests of one connection one after another, so a slow call (a stop
 * waiting for its process) would hold up every call behind it; a few connections, each call on the
 * least busy one, keep status reads fast. A broken connection is replaced on the next call, at most
 * once per backoff period (doubling from {@code reconnectInitial} up to {@code reconnectMax});
 * during the wait calls fail at once with {@code ZinitUnavailable} rather than queueing.
 * At most {@code maxInFlight} calls are outstanding; more fail with {@code Overloaded}.
 */
public final class JsonRpcTransport implements AutoCloseable {

    /** Tuning of a transport; every value has a sensible default in {@link #defaults()}. */
    public record Options(int connections, int maxInFlight, Duration reconnectInitial, Duration reconnectMax) {
        public static Options defaults() {
            return new Options(4, 256, Duration.ofMillis(50), Duration.ofSeconds(5));
        }
    }

    private final Path socket;
    private final Options options;
    private final ScheduledExecutorService timer;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<JsonRpcConnection> connections = new ArrayList<>();
    private long nextConnectAtNanos;
    private Duration backoff;
    private String lastConnectError = "";
    private boolean closed;

    public JsonRpcTransport(Path socket, Options options) {
        this.socket = socket;
        this.options = options;
        this.backoff = options.reconnectInitial();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zinit-timeouts");
            t.setDaemon(true);
            return t;
        });
    }

    public Path socket() {
        return socket;
    }

    /** Calls {@code method}; the Uni fails with a ZinitException or an {@link RpcErrorException}. */
    public Uni<JsonNode> call(String method, JsonNode params, Duration timeout) {
        return call(method, params, timeout, ResultDecoder.TREE);
    }

    /** Calls {@code method} and turns its result into a {@code T} on the reader thread, with no tree in between. */
    public <T> Uni<T> call(String method, JsonNode params, Duration timeout, ResultDecoder<T> decoder) {
        return Uni.createFrom().completionStage(() -> send(method, params, timeout, decoder));
    }

    private <T> CompletableFuture<T> send(String method, JsonNode params, Duration timeout, ResultDecoder<T> decoder) {
        if (inFlight.incrementAndGet() > options.maxInFlight()) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new ZinitException.Overloaded(options.maxInFlight()));
        }
        JsonRpcConnection connection;
        try {
            connection = pick();
        } catch (ZinitException e) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = connection.call(method, params, timeout, decoder);
        result.whenComplete((r, e) -> inFlight.decrementAndGet());
        return result;
    }

    private synchronized JsonRpcConnection pick() {
        if (closed) {
            throw new ZinitException.ZinitUnavailable("the Zinit client for " + socket + " is closed");
        }
        connections.removeIf(c -> !c.isOpen());
        JsonRpcConnection idlest = connections.stream()
                .min(Comparator.comparingInt(JsonRpcConnection::inFlight)).orElse(null);
        if (idlest != null && (idlest.inFlight() == 0 || connections.size() >= options.connections())) {
            return idlest;
        }
        long now = System.nanoTime();
        if (now < nextConnectAtNanos) {
            if (idlest != null) {
                return idlest;
            }
            throw new ZinitException.ZinitUnavailable("Zinit at " + socket + " is unreachable (" + lastConnectError
                    + "); next attempt in " + Duration.ofNanos(nextConnectAtNanos - now).toMillis() + " ms");
        }
        try {
            JsonRpcConnection fresh = JsonRpcConnection.open(socket, timer, ids);
            connections.add(fresh);
            backoff = options.reconnectInitial();
            return fresh;
        } catch (IOException e) {
            lastConnectError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            nextConnectAtNanos = now + backoff.toNanos();
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(options.reconnectMax()) > 0 ? options.reconnectMax() : doubled;
            if (idlest != null) {
                return idlest;
            }
            throw new ZinitException.ZinitUnavailable("cannot connect to Zinit at " + socket + " (" + lastConnectError
                    + "): is zinit-server running and is herd.zinit.socket right?", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        connections.forEach(JsonRpcConnection::close);
        connections.clear();
        timer.shutdownNow();
    }
}
