package dev.herd.cli;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options of the commands that ask a running Herd: where it is, how long to wait, how to print. */
final class LiveOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "where Herd listens (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (Herd's own JSON, indented); default: ${DEFAULT-VALUE}")
    Output output;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long to wait for Herd's answer (default: ${DEFAULT-VALUE}s)")
    int timeoutSeconds;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "the file with Herd's API token (default: $HERD_API_TOKEN_FILE, else ~/.config/herd/api-token,"
                    + " where Herd writes it); $HERD_API_TOKEN, when set, is used instead")
    Optional<Path> tokenFile = Optional.empty();

    private CliToken token;

    /** The token this command sends, found once (environment, then file). */
    CliToken token() {
        if (token == null) {
            token = CliToken.find(tokenFile, System.getenv());
        }
        return token;
    }

    /** A client for the Herd at {@code --url}, waiting at most {@code --timeout}, sending the token. */
    HerdHttp http() {
        return new HerdHttp(url, Duration.ofSeconds(Math.max(1, timeoutSeconds)), token());
    }

    /** The answer of a running Herd: the JSON body and its value, both present only when all went well. */
    record Answer<T>(JsonNode body, T value) {
    }

    /**
     * GETs {@code path} and reads it as {@code type}. When Herd cannot be asked, refuses, or answers
     * something else, says why on {@code err} (prefixed by the command's name) and gives nothing:
     * the caller exits {@link ExitCodes#UNUSABLE}.
     */
    <T> Optional<Answer<T>> ask(String command, String path, JavaType type, PrintWriter err) {
        HerdHttp.Reply reply = http().get(path);
        if (reply instanceof HerdHttp.Reply.Unreachable u) {
            err.println(command + ": " + u.why());
            return Optional.empty();
        }
        if (reply instanceof HerdHttp.Reply.Refused r) {
            err.println(command + ": Herd answered HTTP " + r.status() + ": " + r.detail()
                    + (r.status() == 503 ? " (check herd.zinit.socket and that zinit-server runs)" : "")
                    + (r.status() == 401 ? " (" + token().why() + ")" : ""));
            return Optional.empty();
        }
        JsonNode body = ((HerdHttp.Reply.Ok) reply).body();
        try {
            return Optional.of(new Answer<>(body, HerdHttp.JSON.convertValue(body, type)));
        } catch (IllegalArgumentException e) {
            err.println(command + ": Herd's answer has an unexpected shape (" + e.getMessage()
                    + "); is the CLI the same version as Herd?");
            return Optional.empty();
        }
    }
}
