package dev.herd.intents;

import dev.herd.desired.Exec;
import dev.herd.desired.Limits;
import dev.herd.desired.WorkerTemplate;
import dev.herd.jobs.KeyProfile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The version of a pool's workers: a digest of everything that shapes a worker's service, so that
 * a change of any of it rolls the pool, and nothing else does. It is written from named fields,
 * one {@code name=value} line each, and a field that is unset writes no line: a field added to a
 * record later (unset in every existing file) leaves every hash as it was, where a record's
 * {@code toString} would roll every worker of every pool. Pinned by {@code TemplateHashTest}. Pure.
 */
final class TemplateHash {
    private final StringBuilder lines = new StringBuilder();

    private TemplateHash() {
    }

    /**
     * @param runsAs            the default user a pool without one runs as, where it applies
     * @param limitsUnenforced  the host cannot enforce the template's cgroup limits: its workers run without them
     */
    static String of(WorkerTemplate t, KeyProfile keys, String redisUrl, String home, Optional<String> runsAs, boolean limitsUnenforced) {
        return digest(lines(t, keys, redisUrl, home, runsAs, limitsUnenforced));
    }

    /** The lines hashed, one field each. */
    static String lines(WorkerTemplate t, KeyProfile keys, String redisUrl, String home, Optional<String> runsAs, boolean limitsUnenforced) {
        TemplateHash h = new TemplateHash();
        if (t.exec() instanceof Exec.Argv argv) {
            h.list("exec.argv", argv.args());
        } else {
            h.line("exec.line", ((Exec.Line) t.exec()).line());
        }
        t.test().ifPresent(v -> h.line("test", v));
        new TreeMap<>(t.env()).forEach((k, v) -> h.line("env." + k, v));
        h.list("after", t.after());
        t.dir().ifPresent(v -> h.line("dir", v));
        h.line("stopSignal", t.stopSignal());
        h.line("shutdownTimeout", t.shutdownTimeout().toString());
        t.user().ifPresent(v -> h.line("user", v));
        t.group().ifPresent(v -> h.line("group", v));
        h.limits(t.limits());
        t.verifySha256().ifPresent(v -> h.line("verify.sha256", v));
        h.line("keys", String.join(",", keys.name(), keys.job(), keys.work(), keys.reply(), keys.control(), keys.processing(), keys.worker()));
        h.line("redis", redisUrl);
        h.line("home", home);
        runsAs.ifPresent(v -> h.line("runsAs", v));
        if (limitsUnenforced) {
            h.line("limitsUnenforced", "true");
        }
        return h.lines.toString();
    }

    private void limits(Limits l) {
        l.memoryBytes().ifPresent(v -> line("limits.memory", v.toString()));
        l.cpuMillis().ifPresent(v -> line("limits.cpu", v.toString()));
        l.processes().ifPresent(v -> line("limits.processes", v.toString()));
        l.openFiles().ifPresent(v -> line("limits.openFiles", v.toString()));
        l.cpuTime().ifPresent(v -> line("limits.cpuTime", v.toString()));
        l.addressSpace().ifPresent(v -> line("limits.addressSpace", v.toString()));
    }

    private void list(String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            line(name + "[" + i + "]", values.get(i));
        }
    }

    /** One field; backslashes and line ends escaped, so no value can pass for another line. */
    private void line(String name, String value) {
        lines.append(name).append('=').append(value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")).append('\n');
    }

    private static String digest(String lines) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(lines.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
