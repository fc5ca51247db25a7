package dev.herd.zinit.threefold;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.zinit.RpcFailures;
import dev.herd.zinit.ZinitException;
import dev.herd.zinit.transport.RpcError;
import dev.herd.zinit.transport.RpcErrorException;
import java.util.regex.Pattern;

/**
 * Typed failures from threefoldtech Zinit. Its newest master answers specific codes with a data
 * object ({@code code_name, service, action, retryable, hint}); slightly older releases answer a
 * bare -32603 whose message is the reason ({@code service name "x" unknown}); the legacy line
 * protocol has the same reasons and no code at all. The code decides where it is specific, the
 * text everywhere else.
 */
public final class TfFailures {
    static final int SERVICE_NOT_FOUND = -32000;
    static final int ALREADY_MONITORED = -32001;
    static final int IS_UP = -32002;
    static final int IS_DOWN = -32003;
    static final int SHUTTING_DOWN = -32006;
    static final int ALREADY_EXISTS = -32007;
    static final int INTERNAL_ERROR = -32603;
    /** Reported for failures of the legacy protocol, which has no codes. */
    public static final int NO_CODE = 0;

    private static final Pattern UNKNOWN_SERVICE = Pattern.compile("service name \"[^\"]*\" unknown|service '[^']*' not found",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IS_UP_TEXT = Pattern.compile("\\bis up\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern IS_DOWN_TEXT = Pattern.compile("\\bis down\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SHUTTING_DOWN_TEXT = Pattern.compile("shutting down", Pattern.CASE_INSENSITIVE);

    private TfFailures() {
    }

    /** Maps a JSON-RPC failure of the v0.2 API; anything else passes through unchanged. */
    public static Throwable fromRpc(Throwable failure, String operation, String service) {
        if (!(failure instanceof RpcErrorException rpc)) {
            return failure;
        }
        RpcError error = rpc.error();
        return switch (error.code()) {
            case SERVICE_NOT_FOUND -> new ZinitException.ServiceNotFound(service);
            case ALREADY_MONITORED, ALREADY_EXISTS -> new ZinitException.AlreadyExists(service);
            case IS_UP -> new ZinitException.WrongState(operation, service, true, reason(error));
            case IS_DOWN -> new ZinitException.WrongState(operation, service, false, reason(error));
            case SHUTTING_DOWN -> new ZinitException.ZinitUnavailable("Zinit is shutting down: " + reason(error));
            case INTERNAL_ERROR -> fromReason(operation, service, error.code(), RpcFailures.detail(error));
            // InvalidSignal, ConfigError, FileError, invalid params: the server said exactly what is wrong.
            default -> new ZinitException.Rejected(operation, error.code(), RpcFailures.detail(error));
        };
    }

    /** Maps a failure known only by its reason text (legacy replies, bare -32603 replies). */
    public static ZinitException fromReason(String operation, String service, int code, String reason) {
        if (UNKNOWN_SERVICE.matcher(reason).find()) {
            return new ZinitException.ServiceNotFound(service);
        }
        if (IS_UP_TEXT.matcher(reason).find()) {
            return new ZinitException.WrongState(operation, service, true, reason);
        }
        if (IS_DOWN_TEXT.matcher(reason).find()) {
            return new ZinitException.WrongState(operation, service, false, reason);
        }
        if (SHUTTING_DOWN_TEXT.matcher(reason).find()) {
            return new ZinitException.ZinitUnavailable("Zinit is shutting down: " + reason);
        }
        return RpcFailures.byMessage(operation, service, code, reason, reason);
    }

    /** The data's hint or text where the server sent one, else the message. */
    private static String reason(RpcError error) {
        JsonNode data = error.data();
        if (data != null && data.isTextual()) {
            return data.asText();
        }
        return error.message();
    }
}
