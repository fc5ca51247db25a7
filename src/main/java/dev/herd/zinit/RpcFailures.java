package dev.herd.zinit;

import dev.herd.zinit.transport.RpcError;
import dev.herd.zinit.transport.RpcErrorException;
import java.util.Locale;

/**
 * Turns a JSON-RPC error into a typed {@link ZinitException}. Codes differ between Zinit releases,
 * and several answer a bare -32603 with the reason only in the message, so the message decides
 * whenever the code alone is not specific.
 */
public final class RpcFailures {
    private RpcFailures() {
    }

    /**
     * @param operation what was attempted, e.g. "start osis-0", for the message
     * @param service   the service concerned, or empty
     * @param notFoundCodes codes this dialect uses for "no such service"
     * @param existsCodes   codes this dialect uses for "already exists"
     */
    public static Throwable map(Throwable failure, String operation, String service, int[] notFoundCodes, int[] existsCodes) {
        if (!(failure instanceof RpcErrorException rpc)) {
            return failure;
        }
        RpcError error = rpc.error();
        String message = error.message().toLowerCase(Locale.ROOT);
        if (contains(notFoundCodes, error.code()) || message.contains("not found") && message.contains("service")
                && !message.contains("executable") && !message.contains("dependency")) {
            return new ZinitException.ServiceNotFound(service);
        }
        if (contains(existsCodes, error.code()) || message.contains("already exists") || message.contains("already monitored")) {
            return new ZinitException.AlreadyExists(service);
        }
        String detail = error.message();
        if (error.data() != null && !error.data().isMissingNode() && !error.data().isNull()) {
            detail += " " + error.data();
        }
        return new ZinitException.Rejected(operation, error.code(), detail);
    }

    private static boolean contains(int[] codes, int code) {
        for (int c : codes) {
            if (c == code) {
                return true;
            }
        }
        return false;
    }
}
