package dev.herd.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a worker's program file and hashes it. A digest is kept per path with the file's size,
 * modification and change times and inode, so a file is hashed again only when one of them moves:
 * an unchanged 100 MB binary costs one {@code stat} per check, not a read.
 */
public final class ProgramFiles {
    private record Stamp(long size, Object mtime, Object ctime, Object inode) {
    }

    private record Hashed(Stamp stamp, String sha256) {
    }

    private final Map<Path, Hashed> digests = new ConcurrentHashMap<>();
    private volatile long bytesHashed;

    /**
     * Where {@code program} is: a path with a slash as given (relative to {@code dir} when relative),
     * a bare name looked up in {@code searchPath} as a shell would.
     */
    public static Optional<Path> resolve(String program, String searchPath, Optional<String> dir) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Optional.of(p.isAbsolute() ? p : Path.of(dir.orElse(".")).resolve(p).normalize());
        }
        for (String entry : searchPath.split(":")) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The first part of {@code program}'s path that a process of {@code uid} with groups
     * {@code gids} may not pass: a folder it cannot search, or the program it cannot execute.
     * Empty when it may run the program (root may run anything). Owner, group and other bits are
     * judged as the kernel does; ACLs are not read.
     */
    public static Optional<Path> unreachableBy(Path program, int uid, java.util.Set<Integer> gids) {
        if (uid == 0) {
            return Optional.empty();
        }
        try {
            Path real = program.toRealPath();
            List<Path> chain = new ArrayList<>();
            for (Path p = real.getParent(); p != null; p = p.getParent()) {
                chain.add(0, p);
            }
            chain.add(real);
            for (Path p : chain) {
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                int owner = (Integer) Files.getAttribute(p, "unix:uid");
                int group = (Integer) Files.getAttribute(p, "unix:gid");
                int bits = owner == uid ? (mode >> 6) : gids.contains(group) ? (mode >> 3) : mode;
                if ((bits & 1) == 0) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty(); // cannot tell: Zinit's start will say
        }
    }

    /** The file's SHA-256 in lowercase hex, from the cache while the file is unchanged. */
    public String sha256(Path file) throws IOException {
        Stamp stamp = stamp(file);
        Hashed known = digests.get(file);
        if (known != null && known.stamp().equals(stamp)) {
            return known.sha256();
        }
        String digest = hash(file);
        // stamped before reading: a file changed while being read is hashed again next time
        digests.put(file, new Hashed(stamp, digest));
        if (digests.size() > 1024) {
            digests.clear(); // programs of pools long gone
        }
        return digest;
    }

    /** Bytes read for hashing since this was made: shows the cache works. */
    public long bytesHashed() {
        return bytesHashed;
    }

    private static Stamp stamp(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
        return new Stamp((Long) a.get("size"), a.get("lastModifiedTime"), a.get("ctime"), a.get("ino"));
    }

    private String hash(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                read += n;
            }
        }
        bytesHashed += read;
        return HexFormat.of().formatHex(md.digest());
    }
}
