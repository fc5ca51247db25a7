package dev.herd.zinit.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.transport.LineProtocolTransport;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Finds out which dialect a Zinit socket speaks, each probe on a connection of its own:
 * <ol>
 *   <li>JSON-RPC {@code system.ping}: a result means v0.3;</li>
 *   <li>"method not found" (-32601) means v0.2, confirmed by {@code service_list} answering a map
 *       (v0.3 also knows {@code rpc.discover}, so that cannot confirm);</li>
 *   <li>a hang-up, a non-JSON-RPC reply or a {@code {"state": ...}} envelope means the legacy line
 *       protocol, confirmed by {@code list} answering {@code {"state":"ok"}}.</li>
 * </ol>
 * Anything else is a ProtocolError carrying the reply; an unreachable or silent socket fails as
 * ZinitUnavailable or Timeout, so the caller can try again later.
 */
public final class DialectProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"system.ping\"}";
    private static final String SERVICE_LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service_list\",\"params\":[]}";
    private static final int METHOD_NOT_FOUND = -32601;

    private enum Guess { V03, V02, LEGACY, UNKNOWN }

    private DialectProbe() {
    }

    public static Uni<Dialect> detect(LineProtocolTransport probe, Duration timeout) {
        return exchange(probe, PING, timeout).chain(reply -> switch (guess(reply)) {
            case V03 -> Uni.createFrom().item(Dialect.V03);
            case V02 -> confirm(probe, SERVICE_LIST, timeout, Dialect.V02,
                    r -> parse(r).path("result").isObject());
            case LEGACY -> confirm(probe, "list", timeout, Dialect.LEGACY,
                    r -> "ok".equals(parse(r).path("state").asText()));
            case UNKNOWN -> Uni.createFrom().failure(unknown(reply));
        });
    }

    private static Uni<String> exchange(LineProtocolTransport probe, String line, Duration timeout) {
        return probe.exchange(line, timeout, LineProtocolTransport.Until.FIRST_LINE);
    }

    private static Guess guess(String reply) {
        if (reply.isBlank()) {
            return Guess.LEGACY; // hung up without a word: a line-protocol server that did not parse JSON
        }
        JsonNode json = parse(reply);
        if (!json.isObject()) {
            return Guess.LEGACY;
        }
        if (json.has("state") && !json.has("jsonrpc")) {
            return Guess.LEGACY;
        }
        if (json.has("result")) {
            return Guess.V03;
        }
        JsonNode error = json.path("error");
        String message = error.path("message").asText("").toLowerCase(Locale.ROOT);
        if (error.path("code").asInt() == METHOD_NOT_FOUND || message.contains("method not found") || message.contains("unknown method")) {
            return Guess.V02;
        }
        return json.has("jsonrpc") ? Guess.UNKNOWN : Guess.LEGACY;
    }

    private static Uni<Dialect> confirm(LineProtocolTransport probe, String line, Duration timeout, Dialect dialect,
                                        java.util.function.Predicate<String> confirmed) {
        return exchange(probe, line, timeout).map(reply -> {
            if (!confirmed.test(reply)) {
                throw unknown(reply);
            }
            return dialect;
        });
    }

    private static ZinitException unknown(String reply) {
        return new ZinitException.ProtocolError("cannot tell which Zinit dialect answers (set herd.zinit.dialect explicitly)", reply);
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
