package dev.herd.zinit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A FAKE threefoldtech Zinit 0.2 JSON-RPC server, built from its OpenRPC spec
 * ({@code src/test/resources/zinit/v02/openrpc.json}) and NOTES.md, for the dialect that cannot run
 * here. Like the real one: persistent connections, requests split on balanced braces (concatenated
 * or newline-separated), every reply ends with {@code \n}, positional (or named) params, Rust
 * debug-format states, real processes (see {@link FakeSupervisor}).
 *
 * <p>Test controls: {@link #delay} answers a method late (so replies overtake each other),
 * {@link #silence} never answers it, {@link #refuseWithConfigError} refuses it, {@link #errorStyle} switches between the newest master's
 * codes with a data object and the bare -32603 with the reason as message of older releases.
 * Not faked: {@code stream_subscribeLogs}, {@code system_*} (they answer "Method not found").
 */
public final class FakeZinitV02Server extends FakeSocketServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;

    /** How refusals are worded. */
    public enum ErrorStyle {
        /** Newest master: -32000..-32008 with data {code_name, service, action, retryable, hint}. */
        CODES,
        /** Releases before that: -32603 with the reason as the message, no data. */
        BARE_INTERNAL_ERROR
    }

    private final JsonNode spec;
    private final ExecutorService late = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-zinit-late");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    private final Set<String> configErrors = ConcurrentHashMap.newKeySet();
    private volatile ErrorStyle errorStyle = ErrorStyle.CODES;

    private FakeZinitV02Server(Duration respawnDelay) {
        super("herd-fake-v02-", respawnDelay);
        try (InputStream in = getClass().getResourceAsStream("/zinit/v02/openrpc.json")) {
            this.spec = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a fake that restarts exited services after {@code respawnDelay} (the real one: about 2 s). */
    public static FakeZinitV02Server start(Duration respawnDelay) {
        FakeZinitV02Server fake = new FakeZinitV02Server(respawnDelay);
        fake.start();
        return fake;
    }

    public FakeZinitV02Server errorStyle(ErrorStyle style) {
        this.errorStyle = style;
        return this;
    }

    /** Answers {@code method} only after {@code by}, on another thread: later requests are answered first. */
    public FakeZinitV02Server delay(String method, Duration by) {
        delays.put(method, by);
        return this;
    }

    /** Never answers {@code method} ("*" for every method); the connection stays open. */
    public FakeZinitV02Server silence(String method) {
        silenced.add(method);
        return this;
    }

    /** Refuses {@code method} with ConfigError, as for a service file Zinit cannot load. */
    public FakeZinitV02Server refuseWithConfigError(String method) {
        configErrors.add(method);
        return this;
    }

    @Override
    public FakeZinitV02Server silenceAll() {
        return silence("*");
    }

    @Override
    public FakeZinitV02Server answerNormally() {
        delays.clear();
        silenced.clear();
        configErrors.clear();
        return this;
    }

    @Override
    protected void serve(SocketChannel channel) throws IOException {
        Reader in = new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8);
        JsonSplitter splitter = new JsonSplitter();
        char[] buffer = new char[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            for (String request : splitter.feed(buffer, n)) {
                transcript.received(request);
                dispatch(channel, request);
            }
        }
    }

    private void dispatch(SocketChannel channel, String text) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (IOException e) {
            reply(channel, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
            return;
        }
        String method = request.path("method").asText("");
        if (silenced.contains("*") || silenced.contains(method)) {
            return;
        }
        Duration delay = delays.get(method);
        if (delay == null) {
            reply(channel, answer(request));
            return;
        }
        late.execute(() -> {
            try {
                Thread.sleep(delay.toMillis());
                reply(channel, answer(request));
            } catch (IOException | InterruptedException e) {
                // the client or the test went away
            }
        });
    }

    private void reply(SocketChannel channel, String line) throws IOException {
        transcript.sent(line);
        write(channel, line + "\n");
    }

    private String answer(JsonNode request) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
        String method = request.path("method").asText("");
        try {
            reply.set("result", call(method, new Params(request.path("params"))));
        } catch (FakeFailure f) {
            reply.set("error", error(f, method));
        } catch (MethodNotFound e) {
            reply.putObject("error").put("code", METHOD_NOT_FOUND).put("message", "Method not found");
        } catch (InvalidParams e) {
            reply.putObject("error").put("code", INVALID_PARAMS).put("message", "Invalid params").put("data", e.getMessage());
        }
        reply.set("id", request.path("id").isMissingNode() ? NullNode.getInstance() : request.get("id"));
        return reply.toString();
    }

    private JsonNode call(String method, Params p) {
        if (configErrors.contains(method)) {
            throw FakeFailure.configError(p.name(), "refused by the test");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (method) {
            case "rpc.discover" -> spec;
            case "service_list" -> JSON.valueToTree(supervisor.list());
            case "service_status" -> supervisor.status(p.name());
            case "service_create" -> f.textNode(supervisor.createFile(p.name(), p.object(1, "content")));
            case "service_delete" -> f.textNode(supervisor.deleteFile(p.name()));
            case "service_get" -> supervisor.readFile(p.name());
            case "service_stats" -> supervisor.stats(p.name());
            case "stream_currentLogs" -> JSON.valueToTree(supervisor.logs(p.optionalName()));
            case "service_start", "service_stop", "service_monitor", "service_forget", "service_kill" -> {
                mutate(method, p);
                yield NullNode.getInstance();
            }
            default -> throw new MethodNotFound();
        };
    }

    private void mutate(String method, Params p) {
        switch (method) {
            case "service_start" -> supervisor.start(p.name());
            case "service_stop" -> supervisor.stop(p.name());
            case "service_monitor" -> supervisor.monitor(p.name());
            case "service_forget" -> supervisor.forget(p.name());
            default -> supervisor.kill(p.name(), p.text(1, "signal"));
        }
    }

    private JsonNode error(FakeFailure f, String method) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        if (errorStyle == ErrorStyle.BARE_INTERNAL_ERROR) {
            return error.put("code", -32603).put("message", f.reason);
        }
        error.put("code", f.kind.code).put("message", f.kind.message);
        error.putObject("data")
                .put("code_name", f.kind.codeName)
                .put("service", f.service)
                .put("action", method)
                .put("retryable", f.kind.retryable)
                .put("hint", f.reason);
        return error;
    }

    @Override
    public void close() {
        late.shutdownNow();
        super.close();
    }

    /** Positional params (what Zinit's clients send), or named ones (which jsonrpsee also takes). */
    private record Params(JsonNode raw) {
        JsonNode at(int index, String key) {
            JsonNode value = raw.isArray() ? raw.path(index) : raw.path(key);
            if (value.isMissingNode() || value.isNull()) {
                throw new InvalidParams("missing parameter '" + key + "'");
            }
            return value;
        }

        String name() {
            return text(0, "name");
        }

        Optional<String> optionalName() {
            JsonNode value = raw.isArray() ? raw.path(0) : raw.path("name");
            return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
        }

        String text(int index, String key) {
            JsonNode value = at(index, key);
            if (!value.isTextual()) {
                throw new InvalidParams("parameter '" + key + "' must be a string");
            }
            return value.asText();
        }

        JsonNode object(int index, String key) {
            JsonNode value = at(index, key);
            if (!value.isObject()) {
                throw new InvalidParams("parameter '" + key + "' must be an object");
            }
            return value;
        }
    }

    private static final class MethodNotFound extends RuntimeException {
        MethodNotFound() {
            super(null, null, false, false);
        }
    }

    private static final class InvalidParams extends RuntimeException {
        InvalidParams(String message) {
            super(message, null, false, false);
        }
    }
}
