package dev.herd.zinit.transport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON-RPC error reply, before a dialect turns it into a typed {@link dev.herd.zinit.ZinitException}.
 *
 * @param code    JSON-RPC error code
 * @param message the server's message
 * @param data    the optional data member (a JSON null node when absent)
 * @param raw     the whole reply line
 */
public record RpcError(int code, String message, JsonNode data, String raw) {
}
