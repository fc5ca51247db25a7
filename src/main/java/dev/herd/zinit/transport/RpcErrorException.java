package dev.herd.zinit.transport;

/** Carries an {@link RpcError} from the transport to the dialect, which maps it to a typed failure. */
public final class RpcErrorException extends RuntimeException {
    private final RpcError error;

    public RpcErrorException(RpcError error) {
        super("[" + error.code() + "] " + error.message(), null, false, false);
        this.error = error;
    }

    public RpcError error() {
        return error;
    }
}
