package dev.herd.zinit.fake;

/**
 * A refusal by the fake supervisor, with everything either front end needs to word it: the newest
 * v0.2 code and code name, the JSON-RPC message, and the reason text older releases and the
 * legacy protocol send instead (texts as in the OpenRPC spec's examples).
 */
final class FakeFailure extends RuntimeException {

    enum Kind {
        SERVICE_NOT_FOUND(-32000, "ServiceNotFound", "Service not found", false),
        ALREADY_MONITORED(-32001, "AlreadyMonitored", "Service already monitored", false),
        IS_UP(-32002, "IsUp", "Service is up", false),
        IS_DOWN(-32003, "IsDown", "Service is down", false),
        INVALID_SIGNAL(-32004, "InvalidSignal", "Invalid signal", false),
        CONFIG_ERROR(-32005, "ConfigError", "Config error", false),
        SHUTTING_DOWN(-32006, "ShuttingDown", "Shutting down", true),
        ALREADY_EXISTS(-32007, "AlreadyExists", "Service already exists", false),
        FILE_ERROR(-32008, "FileError", "Service file error", true),
        INVALID_NAME(-32602, "InvalidServiceName", "Invalid params", false);

        final int code;
        final String codeName;
        final String message;
        final boolean retryable;

        Kind(int code, String codeName, String message, boolean retryable) {
            this.code = code;
            this.codeName = codeName;
            this.message = message;
            this.retryable = retryable;
        }
    }

    final Kind kind;
    final String service;
    final String reason;

    FakeFailure(Kind kind, String service, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.service = service;
        this.reason = reason;
    }

    static FakeFailure notFound(String name) {
        return new FakeFailure(Kind.SERVICE_NOT_FOUND, name, "service name \"" + name + "\" unknown");
    }

    static FakeFailure fileNotFound(String name) {
        return new FakeFailure(Kind.SERVICE_NOT_FOUND, name, "Service '" + name + "' not found");
    }

    static FakeFailure alreadyMonitored(String name) {
        return new FakeFailure(Kind.ALREADY_MONITORED, name, "service \"" + name + "\" already monitored");
    }

    static FakeFailure isUp(String name) {
        return new FakeFailure(Kind.IS_UP, name, "service \"" + name + "\" is up");
    }

    static FakeFailure isDown(String name) {
        return new FakeFailure(Kind.IS_DOWN, name, "service \"" + name + "\" is down");
    }

    static FakeFailure invalidSignal(String name, String signal) {
        return new FakeFailure(Kind.INVALID_SIGNAL, name, "invalid signal: " + signal);
    }

    static FakeFailure configError(String name, String why) {
        return new FakeFailure(Kind.CONFIG_ERROR, name, "failed to load service configuration: " + why);
    }

    static FakeFailure alreadyExists(String name) {
        return new FakeFailure(Kind.ALREADY_EXISTS, name, "Service '" + name + "' already exists");
    }

    static FakeFailure fileError(String name, String what) {
        return new FakeFailure(Kind.FILE_ERROR, name, "Failed to " + what + " service file");
    }

    static FakeFailure invalidName(String name) {
        return new FakeFailure(Kind.INVALID_NAME, name, "invalid service name \"" + name + "\"");
    }
}
