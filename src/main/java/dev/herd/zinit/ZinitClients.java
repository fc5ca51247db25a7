package dev.herd.zinit;

import dev.herd.zinit.detect.AutoDetectingZinitClient;
import dev.herd.zinit.detect.Dialect;
import dev.herd.zinit.legacy.LegacyZinitClient;
import dev.herd.zinit.transport.JsonRpcTransport;
import dev.herd.zinit.transport.LineProtocolTransport;
import dev.herd.zinit.v02.ZinitV02Client;
import dev.herd.zinit.v03.ZinitV03Client;
import java.nio.file.Path;
import java.time.Duration;

/** Makes the {@link ZinitClient} for a socket and dialect name. Never does I/O: connecting happens on the first call. */
public final class ZinitClients {
    /** Zinit 0.2's own default shutdown_timeout: the grace before SIGKILL when a service does not say. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private ZinitClients() {
    }

    /**
     * @param dialect v0.3, v0.2, legacy, or auto (detected on the first call, see {@link AutoDetectingZinitClient})
     */
    public static ZinitClient connect(Path socket, String dialect, Duration timeout, JsonRpcTransport.Options options) {
        if (dialect.equalsIgnoreCase("auto")) {
            return new AutoDetectingZinitClient(lineTransport(socket, options), timeout,
                    detected -> connect(socket, detected, timeout, options));
        }
        return connect(socket, Dialect.parse(dialect).orElseThrow(() -> new IllegalArgumentException(
                "herd.zinit.dialect must be auto, v0.3, v0.2 or legacy, not '" + dialect + "'")), timeout, options);
    }

    public static ZinitClient connect(Path socket, Dialect dialect, Duration timeout, JsonRpcTransport.Options options) {
        return switch (dialect) {
            case V03 -> new ZinitV03Client(new JsonRpcTransport(socket, options), timeout);
            case V02 -> new ZinitV02Client(new JsonRpcTransport(socket, options), timeout, DEFAULT_STOP_GRACE);
            case LEGACY -> new LegacyZinitClient(lineTransport(socket, options), timeout, DEFAULT_STOP_GRACE);
        };
    }

    /** One exchange per connection: {@code connections} of them at once, {@code maxInFlight} waiting. */
    private static LineProtocolTransport lineTransport(Path socket, JsonRpcTransport.Options options) {
        return new LineProtocolTransport(socket, options.connections(), options.maxInFlight());
    }
}
