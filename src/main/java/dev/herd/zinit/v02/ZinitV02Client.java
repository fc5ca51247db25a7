package dev.herd.zinit.v02;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import dev.herd.zinit.transport.JsonRpcTransport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * threefoldtech Zinit 0.2.x over its JSON-RPC API. The server has no restart, no ping, and
 * creating, stopping and removing are each several calls:
 * <ul>
 *   <li>create = {@code service_create} (writes the file) + {@code service_monitor} (loads and starts it);</li>
 *   <li>delete = stop and wait + {@code service_forget} + {@code service_delete} (removes the file);</li>
 *   <li>restart = stop and wait (SIGKILL after the service's shutdown_timeout) + {@code service_start}.</li>
 * </ul>
 * follow() polls {@code stream_currentLogs}: the subscription the server also offers would need
 * notification support in the transport, and a tail read every 250 ms is enough for Herd.
 */
public final class ZinitV02Client implements ZinitClient {
    private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(250);

    private final JsonRpcTransport transport;
    private final Duration timeout;
    private final Duration defaultGrace;

    /**
     * @param timeout      limit of every single call
     * @param defaultGrace how long a stop may take before SIGKILL when the service's own
     *                     shutdown_timeout cannot be read
     */
    public ZinitV02Client(JsonRpcTransport transport, Duration timeout, Duration defaultGrace) {
        this.transport = transport;
        this.timeout = timeout;
        this.defaultGrace = defaultGrace;
    }

    @Override
    public String dialect() {
        return "v0.2";
    }

    /** Calls {@code method} with positional params; {@code service} names the service for failures. */
    private Uni<JsonNode> call(String method, String service, String... params) {
        ArrayNode positional = JsonNodeFactory.instance.arrayNode();
        for (String p : params) {
            positional.add(p);
        }
        return call(method, service, positional);
    }

    private Uni<JsonNode> call(String method, String service, ArrayNode params) {
        String operation = method + (service.isEmpty() ? "" : " " + service);
        return transport.call(method, params, timeout).onFailure().transform(f -> TfFailures.fromRpc(f, operation, service));
    }

    private Uni<JsonNode> callNamed(String method, String name) {
        ServiceNames.check(name);
        return call(method, name, name);
    }

    /** No ping on this server: the OpenRPC document proves it answers and carries the API version. */
    @Override
    public Uni<String> ping() {
        return call("rpc.discover", "").map(r -> "v0.2 (API " + r.path("info").path("version").asText("unknown") + ")");
    }

    @Override
    public Uni<List<ServiceStatus>> list() {
        return call("service_list", "").chain(names -> TfReplies.statuses(names, this::status));
    }

    @Override
    public Uni<ServiceStatus> status(String name) {
        return callNamed("service_status", name).map(r -> TfReplies.status(name, r));
    }

    @Override
    public Uni<Map<String, String>> env(String name) {
        return callNamed("service_get", name).map(r -> {
            Map<String, String> env = new HashMap<>();
            r.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            return Map.copyOf(env);
        });
    }

    @Override
    public Uni<Void> create(ServiceSpec spec) {
        String name = spec.name();
        ArrayNode params = JsonNodeFactory.instance.arrayNode().add(name).add(V02Config.toJson(spec));
        return call("service_create", name, params)
                .chain(() -> callNamed("service_monitor", name)
                        // A file Zinit refused to load would make every later create fail with AlreadyExists.
                        // Only on a refusal: after a timeout the monitor may well have worked.
                        .onFailure(ZinitException.Rejected.class)
                        .call(f -> callNamed("service_delete", name).onFailure().recoverWithNull()))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(String name) {
        return GracefulStop.stop(this, name, defaultGrace).onFailure(ZinitException.ServiceNotFound.class).recoverWithNull()
                .chain(() -> callNamed("service_forget", name).onFailure(ZinitException.ServiceNotFound.class).recoverWithNull())
                .chain(() -> callNamed("service_delete", name).onFailure(ZinitException.ServiceNotFound.class).recoverWithNull())
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> start(String name) {
        return callNamed("service_start", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> stop(String name) {
        return callNamed("service_stop", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> restart(String name) {
        return grace(name)
                .chain(grace -> GracefulStop.stop(this, name, grace))
                .chain(() -> start(name));
    }

    /** The service's own shutdown_timeout, or the default where its file cannot be read. */
    private Uni<Duration> grace(String name) {
        return callNamed("service_get", name)
                .map(config -> config.path("shutdown_timeout").canConvertToLong()
                        ? Duration.ofSeconds(config.get("shutdown_timeout").asLong()) : defaultGrace)
                .onFailure(f -> !(f instanceof ZinitException.ZinitUnavailable)).recoverWithItem(defaultGrace);
    }

    @Override
    public Uni<Void> kill(String name, String signal) {
        ServiceNames.check(name);
        return call("service_kill", name, name, signal).replaceWithVoid();
    }

    @Override
    public Uni<List<LogLine>> logs(String name, int lines) {
        return callNamed("stream_currentLogs", name).map(r -> {
            List<String> dump = new ArrayList<>(r.size());
            r.forEach(l -> dump.add(l.asText()));
            return TfReplies.tail(dump, name, lines);
        });
    }

    @Override
    public Multi<LogLine> follow(String name, int backlog) {
        ServiceNames.check(name);
        return LogFollower.followWindow(this, name, FOLLOW_INTERVAL, backlog);
    }

    @Override
    public Uni<ServiceStats> stats(String name) {
        return callNamed("service_stats", name).map(r ->
                new ServiceStats(r.path("pid").asInt(0), r.path("memory_usage").asLong(0), r.path("cpu_usage").asDouble(0)));
    }

    @Override
    public void close() {
        transport.close();
    }
}
