package dev.herd.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The API's credential: a bearer token kept in a file only its owner can read, as an SSH key is.
 * Herd creates the file on its first start; the CLI, run by the same user, reads it by itself.
 * Whoever cannot read the file cannot use the API, which is the whole of the access rule on a
 * shared host (see docs/operations.md, "Who can do what").
 */
public final class ApiToken {
    /** Environment variables the CLI reads, named as Herd's own settings are. */
    public static final String TOKEN_ENV = "HERD_API_TOKEN";
    public static final String TOKEN_FILE_ENV = "HERD_API_TOKEN_FILE";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final int MAX_FILE_BYTES = 4096;

    private ApiToken() {
    }

    /** Where the token file is when nothing says otherwise: under the user's configuration folder. */
    public static Path defaultFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("herd").resolve("api-token");
    }

    /**
     * The token in {@code file}, created (random, 256 bits, mode 0600, its folder 0700) when the
     * file does not exist yet. Several Herds of one user starting at once agree on one token: the
     * file appears whole or not at all.
     *
     * @throws IllegalStateException naming the file and what to fix: other users can read it, it is
     *     empty, or it cannot be written
     */
    public static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            ownedByThisUser(file);
            return read(file).orElseThrow(() -> new IllegalStateException(
                    file + " holds no token: delete it (Herd writes a new one) or put a token in it"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the API token file " + file + " (" + e.getMessage()
                    + "); set herd.api.token-file to a file Herd's user may write, or herd.api.token", e);
        }
    }

    /**
     * The token in {@code file} when the file exists and this user can read it. Refuses a file
     * other users can read or write: a token they can see is no credential.
     */
    public static Optional<String> read(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> mode = posix.readAttributes().permissions();
            if (!OWNER_ONLY.containsAll(mode)) {
                throw new IOException("other users may read or write it (mode "
                        + PosixFilePermissions.toString(mode) + "); chmod 600 " + file);
            }
        }
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("it is over " + MAX_FILE_BYTES + " bytes, not a token");
        }
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /**
     * Herd's own token must be its own file: not a link, not another user's (a token planted in a
     * folder others can write would otherwise be accepted).
     */
    private static void ownedByThisUser(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException("it is a symbolic link; give the file itself");
        }
        try {
            int owner = (Integer) Files.getAttribute(file, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            long me = new com.sun.security.auth.module.UnixSystem().getUid();
            if (owner != me) {
                throw new IOException("it belongs to uid " + owner + ", not to Herd's user (uid " + me + "); chown it or let Herd create it");
            }
        } catch (UnsupportedOperationException e) {
            // no owner to check on this file system
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path partial = Files.createTempFile(dir, ".api-token", ".partial", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(partial, token + "\n", StandardCharsets.UTF_8);
            Files.createLink(file, partial); // atomic and never overwrites: a concurrent start keeps its token
        } catch (FileAlreadyExistsException raced) {
            // another Herd of this user wrote it first; both use that one
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
