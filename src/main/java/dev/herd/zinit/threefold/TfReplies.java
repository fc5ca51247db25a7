package dev.herd.zinit.threefold;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.zinit.LogLine;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the replies threefoldtech Zinit gives on both of its APIs. */
public final class TfReplies {
    private static final Pattern EXITED = Pattern.compile("^Error\\(Exited\\(Pid\\(-?\\d+\\), (-?\\d+)\\)\\)");
    private static final Pattern LOG = Pattern.compile("^\\[([+-])\\] ([^:\\s]+): ?(.*)$", Pattern.DOTALL);
    /** Status reads in flight at once when listing: enough to pipeline, few enough not to crowd out other calls. */
    private static final int LIST_CONCURRENCY = 8;

    private TfReplies() {
    }

    /**
     * States are Rust debug text ({@code Running}, {@code Error(Exited(Pid(12), 1))}, ...), and
     * releases add detail inside the parentheses, so they are matched by prefix.
     */
    public static ServiceState state(String raw) {
        if (raw.startsWith("Running")) {
            return ServiceState.RUNNING;
        } else if (raw.startsWith("Spawned")) {
            return ServiceState.STARTING;
        } else if (raw.startsWith("Blocked")) {
            return ServiceState.BLOCKED;
        } else if (raw.startsWith("Success")) {
            return ServiceState.EXITED;
        } else if (raw.startsWith("Error") || raw.startsWith("TestFailure") || raw.startsWith("Failure")) {
            return ServiceState.FAILED;
        } else if (raw.startsWith("Unknown")) {
            // Zinit's state before the first start: monitored, nothing spawned yet.
            return ServiceState.INACTIVE;
        }
        return ServiceState.UNKNOWN;
    }

    /** The exit code inside {@code Error(Exited(Pid(12), 1))}, where the state has one. */
    public static OptionalInt exitCode(String raw) {
        Matcher m = EXITED.matcher(raw);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** A status object: {@code {name, pid, state, target: Up|Down, after: {dep: state}}}. */
    public static ServiceStatus status(String name, JsonNode reply) {
        if (!reply.isObject()) {
            throw new ZinitException.ProtocolError("a service status is an object", reply.toString());
        }
        String raw = reply.path("state").asText("");
        ServiceState state = state(raw);
        ServiceStatus.Target target = switch (reply.path("target").asText("")) {
            case "Up" -> ServiceStatus.Target.UP;
            case "Down" -> ServiceStatus.Target.DOWN;
            default -> ServiceStatus.Target.UNKNOWN;
        };
        Map<String, String> after = new HashMap<>();
        reply.path("after").fields().forEachRemaining(e -> after.put(e.getKey(), e.getValue().asText()));
        return new ServiceStatus(reply.path("name").asText(name), state, raw, reply.path("pid").asInt(0), target, after,
                exitCode(raw), state == ServiceState.FAILED ? raw : "");
    }

    /**
     * Every service in a {@code {name: state}} list, with its full status read alongside (a few at
     * a time); a service that vanishes in between is left out.
     */
    public static Uni<List<ServiceStatus>> statuses(JsonNode list, Function<String, Uni<ServiceStatus>> status) {
        if (!list.isObject()) {
            return Uni.createFrom().failure(new ZinitException.ProtocolError("a service list is an object", list.toString()));
        }
        List<String> names = new ArrayList<>();
        list.fieldNames().forEachRemaining(names::add);
        return Multi.createFrom().iterable(names)
                .onItem().transformToUni(name -> status.apply(name).map(Optional::of)
                        .onFailure(ZinitException.ServiceNotFound.class).recoverWithItem(Optional.empty()))
                .merge(LIST_CONCURRENCY)
                .collect().asList()
                .map(found -> found.stream().flatMap(Optional::stream)
                        .sorted(Comparator.comparing(ServiceStatus::name)).toList());
    }

    /** One log line, {@code [+] name: text} for stdout, {@code [-] name: text} for stderr, anything else as is. */
    public static LogLine logLine(String line) {
        Matcher m = LOG.matcher(line);
        if (!m.matches()) {
            return new LogLine("", LogLine.Stream.UNKNOWN, 0, line);
        }
        LogLine.Stream stream = m.group(1).equals("+") ? LogLine.Stream.STDOUT : LogLine.Stream.STDERR;
        return new LogLine(m.group(2), stream, 0, m.group(3));
    }

    /** The last {@code lines} lines of {@code service} in a log dump. */
    public static List<LogLine> tail(List<String> dump, String service, int lines) {
        List<LogLine> mine = dump.stream().map(TfReplies::logLine).filter(l -> l.service().equals(service)).toList();
        return List.copyOf(mine.subList(Math.max(0, mine.size() - lines), mine.size()));
    }
}
