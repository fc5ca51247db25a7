package dev.herd.api;

import dev.herd.config.ApiToken;
import dev.herd.config.HerdConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The API's one credential, settled at start: the configured token, or the one in the token file
 * (created on first start). A token Herd cannot settle stops the start with the reason, rather
 * than serving an API that nobody, or everybody, can use.
 */
@Startup
@Singleton
public class ApiCredential {
    private static final Logger LOG = Logger.getLogger(ApiCredential.class);
    /** The dashboard's cookie. It proves the token was shown once; it is not the token itself. */
    static final String SESSION_COOKIE = "herd-session";

    private final byte[] token;
    private final String session;
    private final String source;

    public ApiCredential(HerdConfig config) {
        String value;
        if (config.api().token().filter(t -> !t.isBlank()).isPresent()) {
            value = config.api().token().get().strip();
            source = "herd.api.token";
        } else {
            Path file = config.api().tokenFile().orElseGet(ApiToken::defaultFile).toAbsolutePath();
            value = ApiToken.readOrCreate(file);
            source = file.toString();
        }
        token = value.getBytes(StandardCharsets.UTF_8);
        session = hmac(token, "herd dashboard session");
        LOG.infof("API token from %s: every request under /api/ needs it; the CLI of this user finds it there", source);
    }

    /** Where the token came from: a setting's name or the file's path (never the token). */
    String source() {
        return source;
    }

    boolean isToken(String presented) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
    }

    boolean isSession(String cookie) {
        return MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), session.getBytes(StandardCharsets.UTF_8));
    }

    String session() {
        return session;
    }

    private static String hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
