package dev.herd.zinit.v03;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.zinit.GracefulStop;
import dev.herd.zinit.LogFollower;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.RpcFailures;
import dev.herd.zinit.ServiceNames;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStats;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.transport.JsonRpcTransport;
import dev.herd.zinit.transport.ResultDecoder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Zinit 0.3.x (crates.io). Quirks handled here, each checked against the real server:
 * <ul>
 *   <li>{@code service.set} on a name that exists deadlocks 0.3.9 (the whole server stops
 *       answering), so {@link #create} checks first and never overwrites;</li>
 *   <li>"not found" comes as -32000 from queries but as -32603 "service not found: NAME" from
 *       mutations;</li>
 *   <li>{@code service.stop} returns at once; the service goes through Stopping.</li>
 * </ul>
 */
public final class ZinitV03Client implements ZinitClient {
    private static final int[] NOT_FOUND = {-32000};
    private static final int[] EXISTS = {-32010};
    private static final Duration DELETE_GRACE = Duration.ofSeconds(10);
    private static final Duration STOPPING_WAIT = Duration.ofSeconds(2);
    /** Lines more to read when other services' lines crowded a log tail (Zinit's default buffer). */
    private static final int MIN_WIDENING = 1000;

    private final JsonRpcTransport transport;
    private final Duration timeout;

    public ZinitV03Client(JsonRpcTransport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    @Override
    public String dialect() {
        return "v0.3";
    }

    private Uni<JsonNode> call(String method, JsonNode params, String service) {
        return call(method, params, service, timeout);
    }

    private Uni<JsonNode> call(String method, JsonNode params, String service, Duration timeout) {
        return call(method, params, service, timeout, ResultDecoder.TREE);
    }

    private <T> Uni<T> call(String method, JsonNode params, String service, Duration timeout, ResultDecoder<T> decoder) {
        return transport.call(method, params, timeout, decoder)
                .onFailure().transform(f -> RpcFailures.map(f, method + (service.isEmpty() ? "" : " " + service), service, NOT_FOUND, EXISTS));
    }

    private Uni<JsonNode> callNamed(String method, String name) {
        ServiceNames.check(name);
        return call(method, JsonNodeFactory.instance.objectNode().put("name", name), name);
    }

    @Override
    public Uni<String> ping() {
        return call("system.ping", null, "").map(r -> r.path("version").asText("unknown"));
    }

    @Override
    public Uni<List<ServiceStatus>> list() {
        return call("service.list_full", null, "", timeout, ServiceListDecoder.INSTANCE);
    }

    @Override
    public Uni<ServiceStatus> status(String name) {
        return callNamed("service.status", name).map(r -> {
            String raw = r.path("state").asText("");
            OptionalInt exit = r.hasNonNull("exit_code") ? OptionalInt.of(r.get("exit_code").asInt()) : OptionalInt.empty();
            return new ServiceStatus(name, state(raw), raw, r.path("pid").asInt(0),
                    targetOf(state(raw)), Map.of(), exit, r.path("error").asText(""));
        });
    }

    @Override
    public Uni<Map<String, String>> env(String name) {
        return callNamed("service.get", name).map(r -> {
            Map<String, String> env = new HashMap<>();
            r.path("service").path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            return Map.copyOf(env);
        });
    }

    @Override
    public boolean deleteMovesServices() {
        return true;
    }

    @Override
    public Uni<Void> create(ServiceSpec spec) {
        // Never service.set over an existing name: 0.3.9 deadlocks (see class comment).
        return status(spec.name()).map(existing -> true)
                .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem(false)
                .chain(exists -> exists
                        ? Uni.createFrom().<Void>failure(new ZinitException.AlreadyExists(spec.name()))
                        : call("service.set", JsonNodeFactory.instance.objectNode().set("config", V03Config.toJson(spec)), spec.name())
                                .replaceWithVoid());
    }

    @Override
    public Uni<Void> delete(String name) {
        // service.delete of a running service blocks Zinit's supervisor ~5 s (it waits inside its own
        // loop), so a running service is stopped and waited for first; then the delete is immediate.
        // One already stopping (or that 0.3.9 shows as Stopping after losing its exit) gets a short
        // wait only, and the delete goes ahead: Zinit's own remove SIGKILLs what is left, hence its
        // longer timeout. Missing means deleted.
        return status(name)
                .chain(s -> s.state() == ServiceState.STOPPING ? awaitExit(name)
                        // a stop that fails (a lost process cannot be signalled) does not stop the delete
                        : s.state().hasProcess() ? stopAndWait(name, DELETE_GRACE)
                        .onFailure(f -> !(f instanceof ZinitException.ServiceNotFound)).recoverWithNull()
                        : Uni.createFrom().voidItem())
                .chain(() -> call("service.delete", JsonNodeFactory.instance.objectNode().put("name", name), name,
                        timeout.plus(Duration.ofSeconds(10))).replaceWithVoid())
                .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem((Void) null);
    }

    /** One round trip: Zinit deletes a service without a process at once. */
    @Override
    public Uni<Void> deleteStopped(String name) {
        ServiceNames.check(name);
        return call("service.delete", JsonNodeFactory.instance.objectNode().put("name", name), name, timeout.plus(Duration.ofSeconds(10)))
                .replaceWithVoid()
                .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem((Void) null);
    }

    private Uni<Void> awaitExit(String name) {
        return GracefulStop.stopped(this, name, STOPPING_WAIT).replaceWithVoid();
    }

    @Override
    public Uni<Void> start(String name) {
        return callNamed("service.start", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> stop(String name) {
        return callNamed("service.stop", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> restart(String name) {
        return callNamed("service.restart", name).replaceWithVoid();
    }

    @Override
    public Uni<Void> kill(String name, String signal) {
        ServiceNames.check(name);
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("name", name).put("signal", signal);
        return call("service.kill", params, name).replaceWithVoid();
    }

    /**
     * Zinit 0.3.9 keys its log buffers by graph slot and does not move them when a delete shifts
     * slots, so a service's tail can hold lines of services that held its slot before (or still
     * write to it). Each line names the service that printed it: only the asked service's lines
     * are passed on, and where others' lines crowded the tail it is read once more, wider.
     */
    @Override
    public Uni<List<LogLine>> logs(String name, int lines) {
        ServiceNames.check(name);
        return tail(name, lines).chain(own -> own.foreign() > 0 && own.read() == lines
                ? tail(name, lines + Math.max(own.foreign(), MIN_WIDENING)).map(wider -> wider.lastOwn(lines))
                : Uni.createFrom().item(own.lastOwn(lines)));
    }

    private record Tail(List<LogLine> own, int read) {
        int foreign() {
            return read - own.size();
        }

        List<LogLine> lastOwn(int lines) {
            return own.subList(Math.max(0, own.size() - lines), own.size());
        }
    }

    private Uni<Tail> tail(String name, int lines) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("name", name).put("lines", lines);
        return call("logs.tail", params, name).map(result -> {
            List<LogLine> own = new ArrayList<>(result.size());
            for (JsonNode l : result) {
                if (!l.path("service").asText(name).equals(name)) {
                    continue;
                }
                LogLine.Stream stream = switch (l.path("stream").asText("")) {
                    case "stdout" -> LogLine.Stream.STDOUT;
                    case "stderr" -> LogLine.Stream.STDERR;
                    default -> LogLine.Stream.UNKNOWN;
                };
                own.add(new LogLine(name, stream, l.path("timestamp_ms").asLong(0), l.path("content").asText("")));
            }
            return new Tail(own, result.size());
        });
    }

    @Override
    public Multi<LogLine> follow(String name, int backlog) {
        return LogFollower.follow(this, name, Duration.ofMillis(250), backlog);
    }

    @Override
    public Uni<ServiceStats> stats(String name) {
        return callNamed("service.stats", name).map(r ->
                new ServiceStats(r.path("pid").asInt(0), r.path("memory_bytes").asLong(0), r.path("cpu_percent").asDouble(0)));
    }

    @Override
    public void close() {
        transport.close();
    }

    static ServiceState state(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "inactive" -> ServiceState.INACTIVE;
            case "blocked" -> ServiceState.BLOCKED;
            case "starting" -> ServiceState.STARTING;
            case "running" -> ServiceState.RUNNING;
            case "stopping" -> ServiceState.STOPPING;
            case "exited" -> ServiceState.EXITED;
            case "failed" -> ServiceState.FAILED;
            default -> ServiceState.UNKNOWN;
        };
    }

    /** v0.3 has no explicit target; a process that is wanted is one that is starting or running. */
    static ServiceStatus.Target targetOf(ServiceState state) {
        return switch (state) {
            case STARTING, RUNNING, BLOCKED -> ServiceStatus.Target.UP;
            case STOPPING, INACTIVE, EXITED -> ServiceStatus.Target.DOWN;
            default -> ServiceStatus.Target.UNKNOWN;
        };
    }

}
