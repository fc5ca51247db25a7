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
        if (contains(notFoundCodes, error.code())) {
            return new ZinitException.ServiceNotFound(service);
        }
        ZinitException byText = byMessage(operation, service, error.code(), error.message(), detail(error));
        if (!(byText instanceof ZinitException.ServiceNotFound) && contains(existsCodes, error.code())) {
            return new ZinitException.AlreadyExists(service);
        }
        return byText;
    }

    /**
     * Classifies a failure known by its text alone: "not found" and "already exists" are read from
     * {@code message}; anything else is a {@link ZinitException.Rejected} carrying {@code detail}.
     */
    public static ZinitException byMessage(String operation, String service, int code, String message, String detail) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("not found") && m.contains("service") && !m.contains("executable") && !m.contains("dependency")) {
            return new ZinitException.ServiceNotFound(service);
        }
        if (m.contains("already exists") || m.contains("already monitored")) {
            return new ZinitException.AlreadyExists(service);
        }
        return new ZinitException.Rejected(operation, code, detail);
    }

    /** The message, followed by the data member when there is one. */
    public static String detail(RpcError error) {
        String detail = error.message();
        if (error.data() != null && !error.data().isMissingNode() && !error.data().isNull()) {
            detail += " " + error.data();
        }
        return detail;
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
