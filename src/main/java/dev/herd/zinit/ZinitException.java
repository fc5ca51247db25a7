package dev.herd.zinit;

/**
 * Every way a Zinit call can fail. Callers branch on the type: {@link #retryable()} tells the
 * reconciler whether backing off and trying again can help.
 */
public abstract sealed class ZinitException extends RuntimeException {

    protected ZinitException(String message, Throwable cause) {
        super(message, cause);
    }

    protected ZinitException(String message) {
        super(message);
    }

    /** Whether the same call may succeed later without anything being changed. */
    public abstract boolean retryable();

    public static final class ServiceNotFound extends ZinitException {
        private final String service;

        public ServiceNotFound(String service) {
            super("Zinit has no service '" + service + "'");
            this.service = service;
        }

        public String service() {
            return service;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    public static final class AlreadyExists extends ZinitException {
        public AlreadyExists(String service) {
            super("Zinit already has a service '" + service + "'");
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The socket is missing, refused, or went away; the client reconnects with backoff. */
    public static final class ZinitUnavailable extends ZinitException {
        public ZinitUnavailable(String message, Throwable cause) {
            super(message, cause);
        }

        public ZinitUnavailable(String message) {
            super(message);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** No answer within the call's timeout. */
    public static final class Timeout extends ZinitException {
        public Timeout(String method, java.time.Duration after) {
            super("Zinit did not answer " + method + " within " + after.toMillis() + " ms");
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** Too many calls already waiting on this Zinit: back-pressure instead of an unbounded queue. */
    public static final class Overloaded extends ZinitException {
        public Overloaded(int limit) {
            super("more than " + limit + " Zinit calls are already waiting; try again shortly");
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** Zinit answered something this client cannot read; the raw reply is kept. */
    public static final class ProtocolError extends ZinitException {
        private final String rawReply;

        public ProtocolError(String message, String rawReply) {
            super(message + (rawReply.isEmpty() ? "" : ": " + abbreviate(rawReply)));
            this.rawReply = rawReply;
        }

        public String rawReply() {
            return rawReply;
        }

        @Override
        public boolean retryable() {
            return false;
        }

        private static String abbreviate(String s) {
            return s.length() <= 300 ? s : s.substring(0, 300) + "…";
        }
    }

    /** The dialect this Zinit speaks has no such operation. */
    public static final class UnsupportedOperation extends ZinitException {
        public UnsupportedOperation(String dialect, String operation) {
            super("the " + dialect + " Zinit protocol has no '" + operation + "' operation");
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** Zinit refused the request (bad config, missing executable, bad signal...). Its reason is kept. */
    public static final class Rejected extends ZinitException {
        private final int code;

        public Rejected(String operation, int code, String reason) {
            super("Zinit refused " + operation + ": " + reason + " (code " + code + ")");
            this.code = code;
        }

        public int code() {
            return code;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /**
     * The service is up (or down), and the operation needs the opposite: forgetting a running
     * service, killing or reading stats of a stopped one (threefoldtech Zinit's IsUp / IsDown).
     */
    public static final class WrongState extends ZinitException {
        private final String service;
        private final boolean up;

        public WrongState(String operation, String service, boolean up, String reason) {
            super("Zinit refused " + operation + ": service '" + service + "' is " + (up ? "up" : "down") + " (" + reason + ")");
            this.service = service;
            this.up = up;
        }

        public String service() {
            return service;
        }

        /** True when the refusal was because the service is up, false when it is down. */
        public boolean up() {
            return up;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** A service name that cannot be used safely; nothing was sent. */
    public static final class InvalidName extends ZinitException {
        public InvalidName(String name, String problem) {
            super("invalid service name '" + name + "': " + problem);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }
}
