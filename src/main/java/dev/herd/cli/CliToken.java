package dev.herd.cli;

import dev.herd.config.ApiToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The API token the CLI sends, found as Herd stores it: {@code HERD_API_TOKEN}, else the token file
 * ({@code --token-file}, {@code HERD_API_TOKEN_FILE}, or the default Herd writes to). {@link #why}
 * says where it came from, or why there is none, for the message of a refused request.
 */
record CliToken(Optional<String> value, String why) {

    static CliToken find(Optional<Path> option, Map<String, String> env) {
        String explicit = env.get(ApiToken.TOKEN_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new CliToken(Optional.of(explicit.strip()), "the CLI sent $" + ApiToken.TOKEN_ENV);
        }
        Path file = option.or(() -> Optional.ofNullable(env.get(ApiToken.TOKEN_FILE_ENV)).filter(f -> !f.isBlank()).map(Path::of))
                .orElseGet(ApiToken::defaultFile);
        try {
            return ApiToken.read(file).map(t -> new CliToken(Optional.of(t), "the CLI sent the token in " + file))
                    .orElseGet(() -> new CliToken(Optional.empty(), "the CLI found no token it may read in " + file
                            + "; run it as the user running Herd, or set " + ApiToken.TOKEN_ENV));
        } catch (IOException e) {
            return new CliToken(Optional.empty(), "the CLI did not use " + file + ": " + e.getMessage());
        }
    }
}
