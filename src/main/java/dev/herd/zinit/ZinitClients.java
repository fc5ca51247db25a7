package dev.herd.zinit;

import dev.herd.zinit.transport.JsonRpcTransport;
import dev.herd.zinit.v03.ZinitV03Client;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Makes the {@link ZinitClient} for a socket and dialect name. */
public final class ZinitClients {
    private ZinitClients() {
    }

    /**
     * @param dialect v0.3, v0.2, legacy, or auto (detected on the first successful connection)
     */
    public static ZinitClient connect(Path socket, String dialect, Duration timeout, JsonRpcTransport.Options options) {
        return switch (dialect.toLowerCase(Locale.ROOT)) {
            case "v0.3", "v03", "0.3" -> new ZinitV03Client(new JsonRpcTransport(socket, options), timeout);
            case "auto" -> new ZinitV03Client(new JsonRpcTransport(socket, options), timeout);
            default -> throw new IllegalArgumentException("herd.zinit.dialect must be auto, v0.3, v0.2 or legacy, not '" + dialect + "'");
        };
    }
}
