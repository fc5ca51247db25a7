package dev.herd.zinit.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.herd.zinit.LogFollower;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceNames;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceStats;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.GracefulStop;
import dev.herd.zinit.threefold.TfFailures;
import dev.herd.zinit.threefold.TfReplies;
import dev.herd.zinit.transport.LineProtocolTransport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * threefoldtech Zinit before April 2025, over its line protocol. Restart is stop and wait, SIGKILL
 * after the grace, start (as on v0.2; the grace is always the configured default, since this
 * protocol cannot read a service's file). Logs come from {@code log snapshot}.
 */
public final class LegacyZinitClient implements ZinitClient {
    private static final String DIALECT = "legacy";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(250);
    /** The signal goes into the command line: letters and digits only, so it stays one word. */
    private static final Pattern SIGNAL = Pattern.compile("[A-Za-z0-9]{1,16}");

    private final LineProtocolTransport transport;
    private final Duration timeout;
    private final Duration grace;

    /**
     * @param timeout limit of every single exchange
     * @param grace   how long a stop may take before SIGKILL during restart
     */
    public LegacyZinitClient(LineProtocolTransport transport, Duration timeout, Duration grace) {
        this.transport = transport;
        this.timeout = timeout;
        this.grace = grace;
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    /** Sends one command and returns the body of an ok reply. */
    private Uni<JsonNode> command(String service, String line) {
        return transport.exchange(line, timeout, LineProtocolTransport.Until.FIRST_LINE).map(reply -> body(line, service, reply));
    }

    private Uni<JsonNode> named(String verb, String name) {
        ServiceNames.check(name);
        return command(name, verb + " " + name);
    }

    static JsonNode body(String line, String service, String reply) {
        JsonNode envelope;
        try {
            envelope = JSON.readTree(reply);
        } catch (IOException e) {
            throw new ZinitException.ProtocolError("Zinit's reply to '" + line + "' is not JSON", reply);
        }
        if (envelope == null || !envelope.isObject()) {
            throw new ZinitException.ProtocolError("Zinit closed the connection without a reply to '" + line + "'", reply);
        }
        JsonNode body = envelope.has("body") ? envelope.get("body") : NullNode.getInstance();
        return switch (envelope.path("state").asText("")) {
            case "ok" -> body;
            case "error" -> throw TfFailures.fromReason(line, service, TfFailures.NO_CODE, body.isTextual() ? body.asText() : body.toString());
            default -> throw new ZinitException.ProtocolError("Zinit's reply to '" + line + "' has no state ok or error", reply);
        };
    }

    /** The protocol has no ping or version: a list proves the socket answers. */
    @Override
    public Uni<String> ping() {
        return command("", "list").map(body -> DIALECT);
    }

    @Override
    public Uni<List<ServiceStatus>> list() {
        return command("", "list").chain(names -> TfReplies.statuses(names, this::status));
    }

    @Override
    public Uni<ServiceStatus> status(String name) {
        return named("status", name).map(r -> TfReplies.status(name, r));
    }

    @Override
    public Uni<Map<String, String>> env(String name) {
        return unsupported("env");
    }

    @Override
    public Uni<Void> create(ServiceSpec spec) {
        return unsupported("create");
    }

    /** Stop and forget would leave the file, and Zinit would bring the service back at its next boot. */
    @Override
    public Uni<Void> delete(String name) {
        return unsupported("delete");
    }

    @Override
    public Uni<Void> start(String name) {
        return named("start", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> stop(String name) {
        return named("stop", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> restart(String name) {
        return GracefulStop.stop(this, name, grace).chain(() -> start(name));
    }

    @Override
    public Uni<Void> kill(String name, String signal) {
        ServiceNames.check(name);
        if (!SIGNAL.matcher(signal).matches()) {
            return Uni.createFrom().failure(new ZinitException.Rejected("kill " + name, TfFailures.NO_CODE,
                    "a signal name is 1 to 16 letters or digits, e.g. SIGTERM, not '" + signal + "'"));
        }
        return command(name, "kill " + name + " " + signal).replaceWithVoid();
    }

    /**
     * {@code log snapshot} dumps every service's buffered lines and closes. The server writes
     * them as raw lines; a reply in the JSON envelope is read too, in case a release wraps them.
     */
    @Override
    public Uni<List<LogLine>> logs(String name, int lines) {
        ServiceNames.check(name);
        return transport.exchange("log snapshot", timeout, LineProtocolTransport.Until.CLOSE)
                .map(dump -> TfReplies.tail(logLines(dump), name, lines));
    }

    static List<String> logLines(String dump) {
        String trimmed = dump.strip();
        if (trimmed.startsWith("{\"state\"")) {
            JsonNode body = body("log snapshot", "", trimmed);
            List<String> out = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(l -> out.add(l.asText()));
                return out;
            }
            return body.asText().lines().toList();
        }
        return dump.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Override
    public Multi<LogLine> follow(String name, int backlog) {
        ServiceNames.check(name);
        return LogFollower.followWindow(this, name, FOLLOW_INTERVAL, backlog);
    }

    @Override
    public Uni<ServiceStats> stats(String name) {
        return unsupported("stats");
    }

    private static <T> Uni<T> unsupported(String operation) {
        return Uni.createFrom().failure(new ZinitException.UnsupportedOperation(DIALECT, operation));
    }

    @Override
    public void close() {
        transport.close();
    }
}
