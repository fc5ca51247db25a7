package dev.herd.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Herd's API as the tests call it: with the token the test profile sets ({@code %test.herd.api.token}
 * in application.properties). Tests of the access rule itself use {@link RestAssured#given()} bare.
 */
public final class Api {
    /** The test profile's token; never a production default (production has none: Herd generates one). */
    public static final String TOKEN = "herd-test-token";

    private Api() {
    }

    /** A RestAssured request that carries the test profile's token. */
    public static RequestSpecification given() {
        return RestAssured.given().header("Authorization", "Bearer " + TOKEN);
    }

    /** The header on a JDK HTTP request. */
    public static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return request.header("Authorization", "Bearer " + token);
    }

    /** {@code args} followed by {@code --token-file} with the test profile's token, for the CLI run in process. */
    public static String[] withToken(String... args) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "cli-token"));
            String[] all = java.util.Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--token-file";
            all[args.length + 1] = tokenFile(dir, TOKEN).toAbsolutePath().toString();
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token file (mode 0600) holding {@code token}, as the CLI's {@code --token-file} reads it. */
    public static Path tokenFile(Path dir, String token) {
        try {
            Path file = dir.resolve("api-token");
            Path partial = Files.createTempFile(dir, "api-token", ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, token + "\n");
            return Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
