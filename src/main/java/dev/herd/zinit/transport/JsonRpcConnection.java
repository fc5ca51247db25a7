package dev.herd.zinit.transport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.zinit.ZinitException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
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
    private static final int INITIAL_READ_BUFFER = 64 * 1024;
    private static final long NOT_ARMED = Long.MAX_VALUE;

    private final Path socket;
    private final SocketChannel channel;
    private final ScheduledExecutorService timer;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids;
    private final AtomicBoolean open = new AtomicBoolean(true);
    /** System.nanoTime() at which a sweep for timed-out calls is scheduled, or NOT_ARMED. */
    private final AtomicLong sweepAt = new AtomicLong(NOT_ARMED);
    private final Object writeLock = new Object();
    private final Thread reader;
    private volatile Runnable onClose = () -> { };

    private record Pending(String method, CompletableFuture<Object> future, ResultDecoder<?> decoder, long deadline, Duration timeout) {
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
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> call(String method, JsonNode params, Duration timeout, ResultDecoder<T> decoder) {
        long id = ids.incrementAndGet();
        CompletableFuture<Object> future = new CompletableFuture<>();
        CompletableFuture<T> typed = (CompletableFuture<T>) future; // completed only with what decoder made
        if (!open.get()) {
            future.completeExceptionally(new ZinitException.ZinitUnavailable("connection to " + socket + " is closed"));
            return typed;
        }
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        if (params != null && !params.isNull()) {
            request.set("params", params);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        pending.put(id, new Pending(method, future, decoder, deadline, timeout));
        try {
            armSweep(deadline);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            future.completeExceptionally(new ZinitException.ZinitUnavailable("the Zinit client for " + socket + " is closed"));
            return typed;
        }
        try {
            byte[] json = JSON.writeValueAsBytes(request);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
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
        return typed;
    }

    /**
     * Makes sure a sweep runs by {@code deadline}. Calls do not schedule a timer task each: a task
     * cancelled on the reply stays queued until it expires, so at thousands of calls a second the
     * timer held many thousands of dead tasks and worked through them all the time (and removing
     * on cancel instead makes each call's task the earliest, which wakes the timer thread on every
     * call). One sweep is armed for the earliest deadline; a call with a later one (the usual case:
     * same timeout, made later) only compares two numbers.
     */
    private void armSweep(long deadline) {
        while (true) {
            long armed = sweepAt.get();
            if (armed != NOT_ARMED && armed - deadline <= 0) {
                return; // a sweep comes first, and re-arms for whatever is still pending
            }
            if (sweepAt.compareAndSet(armed, deadline)) {
                try {
                    timer.schedule(this::sweep, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closed) {
                    sweepAt.compareAndSet(deadline, NOT_ARMED);
                    throw closed;
                }
                return;
            }
        }
    }

    /** Fails every call past its deadline, then arms the next sweep for the earliest one left. */
    private void sweep() {
        // Disarm before scanning: a call that still saw this sweep armed is already in pending and
        // is seen by the scan below; a call made after this line arms a sweep itself.
        sweepAt.set(NOT_ARMED);
        long now = System.nanoTime();
        long next = NOT_ARMED;
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            Pending p = entry.getValue();
            if (p.deadline() - now <= 0) {
                if (pending.remove(entry.getKey(), p)) {
                    p.future().completeExceptionally(new ZinitException.Timeout(p.method(), p.timeout()));
                }
            } else if (next == NOT_ARMED || p.deadline() - next < 0) {
                next = p.deadline();
            }
        }
        if (next != NOT_ARMED && open.get()) {
            try {
                armSweep(next);
            } catch (RejectedExecutionException closing) {
                // the transport is closing; close() fails what is pending
            }
        }
    }

    /**
     * Reads reply lines straight from the channel as bytes and hands each to Jackson as a slice of
     * the buffer: no char decoding and no String per reply (a {@code service.list_full} of 1000
     * services is about 80 KB). The buffer grows to the longest line seen.
     */
    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(INITIAL_READ_BUFFER);
        try {
            while (true) {
                if (!buffer.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
                int scanFrom = buffer.position();
                if (channel.read(buffer) < 0) {
                    break;
                }
                byte[] bytes = buffer.array();
                int end = buffer.position();
                int lineStart = 0;
                for (int i = scanFrom; i < end; i++) {
                    if (bytes[i] == '\n') {
                        int lineEnd = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
                        if (!isBlank(bytes, lineStart, lineEnd)) {
                            deliver(bytes, lineStart, lineEnd - lineStart);
                        }
                        lineStart = i + 1;
                    }
                }
                if (lineStart > 0) {
                    // Keep the unfinished line, which has no newline, at the start of the buffer.
                    System.arraycopy(bytes, lineStart, bytes, 0, end - lineStart);
                    buffer.position(end - lineStart);
                }
            }
        } catch (IOException e) {
            // The socket went away; close() below fails whatever was outstanding.
        } finally {
            close();
        }
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private void deliver(byte[] bytes, int offset, int length) {
        try {
            dispatch(JSON.createParser(bytes, offset, length), bytes, offset, length);
        } catch (IOException e) {
            String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
            try {
                // not UTF-8: parse what a decoding reader would have made of it
                dispatch(JSON.createParser(line), bytes, offset, length);
            } catch (IOException notJson) {
                failAll(new ZinitException.ProtocolError("Zinit sent a line that is not JSON", line));
            }
        }
    }

    /**
     * Reads one reply with a streaming parser. Zinit writes {@code id} before {@code result}, so
     * the call is known when its result comes, and the result goes through the call's decoder
     * without a tree; a reply in another order is buffered as a tree and decoded from that.
     * Nothing is completed until the whole line parsed, so a line that fails to parse can be
     * tried again as text.
     */
    private void dispatch(JsonParser parser, byte[] bytes, int offset, int length) throws IOException {
        try (parser) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                failAll(new ZinitException.ProtocolError("Zinit sent a reply that is not a JSON object", text(bytes, offset, length)));
                return;
            }
            long id = -1;
            Pending call = null;
            Object result = null;
            boolean hasResult = false;
            JsonNode resultTree = null;
            JsonNode error = null;
            String failedDecode = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> {
                        id = value.isNumeric() ? parser.getLongValue() : -1;
                        call = id < 0 ? null : pending.get(id);
                    }
                    case "result" -> {
                        hasResult = true;
                        if (call == null) {
                            resultTree = parser.readValueAsTree();
                        } else {
                            try {
                                result = call.decoder().decode(parser);
                            } catch (JsonMappingException shape) {
                                failedDecode = shape.getOriginalMessage();
                                parser.skipChildren();
                            }
                        }
                    }
                    case "error" -> error = parser.readValueAsTree();
                    default -> parser.skipChildren();
                }
            }
            if (call == null && id == 0 && error != null && !error.isNull() && pending.size() == 1) {
                // id 0 answers a request the server could not parse; with one call outstanding it is that one.
                String line = text(bytes, offset, length);
                pending.values().forEach(only -> only.future.completeExceptionally(
                        new ZinitException.ProtocolError("Zinit could not parse the request", line)));
                pending.clear();
                return;
            }
            if (call == null || !pending.remove(id, call)) {
                return; // a reply to a call that already timed out
            }
            if (error != null && !error.isNull()) {
                call.future.completeExceptionally(new RpcErrorException(new RpcError(
                        error.path("code").asInt(), error.path("message").asText(""), error.path("data"), text(bytes, offset, length))));
            } else if (!hasResult) {
                call.future.completeExceptionally(new ZinitException.ProtocolError("reply has neither result nor error", text(bytes, offset, length)));
            } else if (failedDecode != null) {
                call.future.completeExceptionally(new ZinitException.ProtocolError(
                        call.method() + " result has an unexpected shape: " + failedDecode, text(bytes, offset, length)));
            } else if (resultTree != null) {
                completeFromTree(call, resultTree, bytes, offset, length);
            } else {
                call.future.complete(result);
            }
        }
    }

    private void completeFromTree(Pending call, JsonNode tree, byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser parser = tree.traverse(JSON)) {
            parser.nextToken();
            call.future.complete(call.decoder().decode(parser));
        } catch (JsonMappingException shape) {
            call.future.completeExceptionally(new ZinitException.ProtocolError(
                    call.method() + " result has an unexpected shape: " + shape.getOriginalMessage(), text(bytes, offset, length)));
        }
    }

    private static String text(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
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
