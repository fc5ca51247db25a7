package dev.herd.zinit.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.zinit.ZinitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open JSON-RPC connection to a Unix socket. Requests are written as one line each, as soon as
 * they are made (pipelining); a reader thread matches every reply to its request by id, so replies
 * may come in any order. A call not answered within its timeout fails alone; the connection stays.
 *
 * <p>Writes happen on the caller's thread: a request is a few hundred bytes and at most
 * {@code maxInFlight} are outstanding, far below the socket buffer, so a write never waits on the
 * server. When the socket breaks, every outstanding call fails with {@code ZinitUnavailable}.
 */
final class JsonRpcConnection implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final SocketChannel channel;
    private final ScheduledExecutorService timer;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Object writeLock = new Object();
    private final Thread reader;
    private volatile Runnable onClose = () -> { };

    private record Pending(String method, CompletableFuture<JsonNode> future) {
    }

    private JsonRpcConnection(Path socket, SocketChannel channel, ScheduledExecutorService timer, AtomicLong ids) {
        this.socket = socket;
        this.channel = channel;
        this.timer = timer;
        this.ids = ids;
        this.reader = new Thread(this::readLoop, "zinit-reader-" + socket.getFileName());
        this.reader.setDaemon(true);
    }

    static JsonRpcConnection open(Path socket, ScheduledExecutorService timer, AtomicLong ids) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        JsonRpcConnection connection = new JsonRpcConnection(socket, channel, timer, ids);
        connection.reader.start();
        return connection;
    }

    void onClose(Runnable action) {
        this.onClose = action;
    }

    boolean isOpen() {
        return open.get();
    }

    int inFlight() {
        return pending.size();
    }

    /**
     * Sends one request. {@code params} may be a JSON null node, in which case the member is left
     * out (v0.3 rejects an explicit null for methods without parameters).
     */
    CompletableFuture<JsonNode> call(String method, JsonNode params, Duration timeout) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        if (!open.get()) {
            future.completeExceptionally(new ZinitException.ZinitUnavailable("connection to " + socket + " is closed"));
            return future;
        }
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        if (params != null && !params.isNull()) {
            request.set("params", params);
        }
        pending.put(id, new Pending(method, future));
        var deadline = timer.schedule(() -> {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future.completeExceptionally(new ZinitException.Timeout(method, timeout));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((r, e) -> deadline.cancel(false));
        try {
            byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            synchronized (writeLock) {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            pending.remove(id);
            future.completeExceptionally(new ZinitException.ZinitUnavailable("cannot write to " + socket + ": " + e.getMessage(), e));
            close();
        }
        return future;
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    deliver(line);
                }
            }
        } catch (IOException e) {
            // The socket went away; close() below fails whatever was outstanding.
        } finally {
            close();
        }
    }

    private void deliver(String line) {
        JsonNode reply;
        try {
            reply = JSON.readTree(line);
        } catch (IOException e) {
            failAll(new ZinitException.ProtocolError("Zinit sent a line that is not JSON", line));
            return;
        }
        JsonNode idNode = reply.get("id");
        Pending p = idNode == null || !idNode.canConvertToLong() ? null : pending.remove(idNode.asLong());
        if (p == null) {
            // A reply to a call that already timed out, or id 0 for a request the server could not parse.
            if (idNode != null && idNode.asLong() == 0 && reply.has("error") && pending.size() == 1) {
                pending.values().forEach(only -> only.future.completeExceptionally(
                        new ZinitException.ProtocolError("Zinit could not parse the request", line)));
                pending.clear();
            }
            return;
        }
        JsonNode error = reply.get("error");
        if (error != null && !error.isNull()) {
            p.future.completeExceptionally(new RpcErrorException(new RpcError(
                    error.path("code").asInt(), error.path("message").asText(""),
                    error.path("data"), line)));
        } else if (reply.has("result")) {
            p.future.complete(reply.get("result"));
        } else {
            p.future.completeExceptionally(new ZinitException.ProtocolError("reply has neither result nor error", line));
        }
    }

    private void failAll(ZinitException cause) {
        pending.values().forEach(p -> p.future.completeExceptionally(cause));
        pending.clear();
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            failAll(new ZinitException.ZinitUnavailable("connection to Zinit at " + socket + " was lost"));
            onClose.run();
        }
    }
}
