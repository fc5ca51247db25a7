package dev.herd.launch;

import dev.herd.cgroup.WorkerCgroups;
import dev.herd.config.HerdConfig;
import dev.herd.desired.Exec;
import dev.herd.desired.WorkerTemplate;
import dev.herd.zinit.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What it takes to launch a pool's workers safely: the wrapped command (identity and limits) and
 * the checks run before any worker is created or started (program present, executable, matching
 * its pinned digest; accounts known; root allowed). The checks read local files (Herd must see the
 * same file system as Zinit) and run on the reconcile thread, never on an event loop.
 */
@ApplicationScoped
public class WorkerLaunch {
    private final Accounts accounts;
    private final ProgramFiles programs;
    private final boolean allowRoot;
    private final String herdPath;
    private final Optional<String> defaultUser;
    private final BooleanSupplier zinitRunsAsRoot;
    private final WorkerCgroups cgroups;

    static final int SHORTEST_SECRET = 6;

    /** The keyword of {@code herd.workers.default-user} that keeps Zinit's own user. */
    public static final String ZINIT_USER = "zinit";

    @Inject
    public WorkerLaunch(HerdConfig config, WorkerCgroups cgroups) {
        this(Accounts.system(), new ProgramFiles(), config.workers().allowRoot(), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                Optional.of(config.workers().defaultUser().strip()).filter(u -> !u.isEmpty() && !u.equals(ZINIT_USER)),
                ownedByRoot(config.zinit().socket()), cgroups);
    }

    /** Without a default user, and Zinit taken to run as root (the common case, and the careful assumption). */
    public WorkerLaunch(Accounts accounts, ProgramFiles programs, boolean allowRoot, String herdPath) {
        this(accounts, programs, allowRoot, herdPath, Optional.empty(), () -> true);
    }

    /**
     * @param defaultUser     who a pool without a user runs as when Zinit runs as root; empty: Zinit's user
     * @param zinitRunsAsRoot whether Zinit's workers would be root without a user of their own
     */
    public WorkerLaunch(Accounts accounts, ProgramFiles programs, boolean allowRoot, String herdPath, Optional<String> defaultUser,
                        BooleanSupplier zinitRunsAsRoot) {
        this(accounts, programs, allowRoot, herdPath, defaultUser, zinitRunsAsRoot, WorkerCgroups.none());
    }

    /** @param cgroups this host's cgroups, where the memory, CPU and process limits are enforced */
    public WorkerLaunch(Accounts accounts, ProgramFiles programs, boolean allowRoot, String herdPath, Optional<String> defaultUser,
                        BooleanSupplier zinitRunsAsRoot, WorkerCgroups cgroups) {
        this.cgroups = cgroups;
        this.accounts = accounts;
        this.programs = programs;
        this.allowRoot = allowRoot;
        this.herdPath = herdPath;
        this.defaultUser = defaultUser;
        this.zinitRunsAsRoot = zinitRunsAsRoot;
    }

    /** Zinit runs as the owner of its socket; a socket Herd cannot look at is taken as root's. */
    static BooleanSupplier ownedByRoot(Path socket) {
        return () -> {
            try {
                return ((Integer) Files.getAttribute(socket, "unix:uid")) == 0;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return true;
            }
        };
    }

    /** {@code worker}'s command wrapped so the kernel enforces the template's identity and limits. */
    public Command command(Command command, WorkerTemplate template, String worker) {
        // a refused identity has no RunAs: such a pool is never launched, this only renders its spec
        return LaunchWrapper.wrap(command, runAs(template).runAs(), template.limits(), tools(),
                cgroups.setup(worker, template.limits()));
    }

    /**
     * Which of the template's cgroup limits this host cannot enforce, and why (the pool's workers
     * still run, without them; its LimitsNotEnforced condition says so).
     */
    public Optional<String> unenforcedLimits(Path file, WorkerTemplate template) {
        return cgroups.unenforced(template.limits()).map(why -> file + ": spec.template." + why);
    }

    /**
     * The default user a pool without one of its own runs as, when it applies: part of the
     * template's identity (a change rolls the pool), though not written in its file.
     */
    public Optional<String> defaultUserFor(WorkerTemplate template) {
        return template.user().isPresent() ? Optional.empty() : user(template);
    }

    /** The user the pool's workers run as: its own, else the default one where Zinit would make them root. */
    private Optional<String> user(WorkerTemplate template) {
        return template.user().or(() -> defaultUser.filter(u -> zinitRunsAsRoot.getAsBoolean()));
    }

    /**
     * Why the pool's workers must not be launched now, if anything: the first problem found.
     *
     * @param file     the pool's desired-state file, for the message
     * @param template the pool's template
     * @param exec     the command rendered for one worker (placeholders filled)
     * @param env      the worker's rendered environment (its PATH, if any, finds the program)
     * @param dir      the worker's rendered working directory
     */
    public Optional<LaunchRefusal> check(Path file, WorkerTemplate template, Exec exec, Map<String, String> env, Optional<String> dir) {
        String at = file + ": spec.template.";
        Identity identity = runAs(template);
        if (identity.refusal().isPresent()) {
            LaunchRefusal r = identity.refusal().get();
            return Optional.of(new LaunchRefusal(r.reason(), at + r.message()));
        }
        Optional<String> user = user(template);
        boolean rootUser = identity.runAs().map(id -> id.uid().isPresent() && id.uid().getAsInt() == 0).orElse(false);
        if (!allowRoot && (rootUser || (user.isEmpty() && zinitRunsAsRoot.getAsBoolean()))) {
            return Optional.of(new LaunchRefusal("RootForbidden", at + "user: "
                    + (rootUser ? "asks for root (" + user.get() + ")" : "is not set, so the worker would run as Zinit's own user, root")
                    + ", and herd.workers.allow-root is false; set user to an unprivileged account (e.g. nobody), "
                    + "or allow root in Herd's configuration (herd.workers.allow-root=true)"));
        }
        List<String> tools = new ArrayList<>();
        if (template.limits().needsRlimits()) {
            tools.add("prlimit");
        }
        if (user.isPresent() || template.group().isPresent()) {
            tools.add("setpriv");
        }
        for (String tool : tools) {
            if (ProgramFiles.resolve(tool, herdPath, Optional.empty()).isEmpty()) {
                return Optional.of(new LaunchRefusal("LaunchToolMissing", at + (tool.equals("prlimit") ? "limits" : "user")
                        + ": needs " + tool + " (util-linux), which is not on PATH (" + herdPath + "); install util-linux"));
            }
        }
        return checkProgram(at, template, exec, env, dir, identity.runAs());
    }

    private Optional<LaunchRefusal> checkProgram(String at, WorkerTemplate template, Exec exec, Map<String, String> env,
                                                 Optional<String> dir, Optional<RunAs> runAs) {
        if (exec instanceof Exec.Line && template.verifySha256().isEmpty()) {
            return Optional.empty(); // a shell line's first word may be a builtin: checked only when pinned
        }
        String program = exec instanceof Exec.Argv a ? a.args().get(0) : ((Exec.Line) exec).line().strip().split("\\s+", 2)[0];
        String searchPath = env.getOrDefault("PATH", herdPath);
        Optional<Path> found = ProgramFiles.resolve(program, searchPath, dir);
        if (found.isEmpty() || !Files.isRegularFile(found.get())) {
            return Optional.of(new LaunchRefusal("BinaryMissing", at + "exec[0]: program " + program
                    + (found.isEmpty() ? " is not on PATH (" + searchPath + ")" : " not found at " + found.get())
                    + "; install it or correct exec"));
        }
        Path path = found.get();
        if (!Files.isExecutable(path)) {
            return Optional.of(new LaunchRefusal("BinaryNotExecutable", at + "exec[0]: " + path
                    + " is not executable; chmod +x it or correct exec"));
        }
        if (runAs.isPresent() && runAs.get().uid().isPresent()) {
            int uid = runAs.get().uid().getAsInt();
            java.util.Set<Integer> gids = new java.util.HashSet<>(Set.of(runAs.get().gid()));
            if (runAs.get().initGroups()) {
                accounts.user(Integer.toString(uid)).ifPresent(u -> gids.addAll(accounts.groupsOf(u)));
            }
            Optional<Path> blocked = ProgramFiles.unreachableBy(path, uid, gids);
            if (blocked.isPresent()) {
                String who = user(template).orElse(Integer.toString(uid));
                return Optional.of(new LaunchRefusal("BinaryNotReachable", at + "exec[0]: " + path + " cannot be run by "
                        + who + ", the user the workers run as: " + (blocked.get().equals(path) ? "it is not executable for them"
                        : blocked.get() + " (mode " + mode(blocked.get()) + ") does not let them through")
                        + "; install the program where that user can reach it (e.g. under /usr/local or /opt), or chmod o+x "
                        + blocked.get()));
            }
        }
        if (template.verifySha256().isEmpty()) {
            return Optional.empty();
        }
        String expected = template.verifySha256().get();
        String digest;
        try {
            digest = programs.sha256(path);
        } catch (IOException e) {
            return Optional.of(new LaunchRefusal("BinaryUnreadable", at + "verify.sha256: cannot read " + path
                    + " to check it (" + e.getMessage() + "); make it readable by Herd"));
        }
        if (!digest.equals(expected)) {
            return Optional.of(new LaunchRefusal("BinaryMismatch", at + "verify.sha256: " + path + " has sha256 " + digest
                    + ", expected " + expected + "; no worker is created or started from it (running ones are left alone)."
                    + " Restore the pinned binary, or pin the new digest (sha256sum " + path + ") if the change is intended"));
        }
        return Optional.empty();
    }

    /**
     * Refuses a command line that holds a secret: every local user reads argv through {@code ps}
     * and /proc. The rendered exec and health test are searched, so a secret is caught however it
     * got there ({@code {{redisUrl}}}, a {@code ${VAR}} expansion, a literal).
     *
     * @param secrets what must not be seen (e.g. the Redis password); one shorter than
     *                {@value #SHORTEST_SECRET} characters is not searched for (it would match common words)
     */
    public static Optional<LaunchRefusal> secretOnCommandLine(Path file, Exec exec, Optional<String> test, List<String> secrets) {
        List<String> words = new ArrayList<>(exec instanceof Exec.Argv a ? a.args() : List.of(((Exec.Line) exec).line()));
        test.ifPresent(words::add);
        for (String secret : secrets) {
            if (secret.strip().length() < SHORTEST_SECRET) {
                continue;
            }
            for (int i = 0; i < words.size(); i++) {
                if (words.get(i).contains(secret)) {
                    String field = i < words.size() - test.map(t -> 1).orElse(0) ? "exec" : "test";
                    return Optional.of(new LaunchRefusal("SecretOnCommandLine", file + ": spec.template." + field
                            + " puts Redis's password on the worker's command line, which every local user can read (ps);"
                            + " read it from the environment instead: Herd gives every worker HERD_REDIS_URL (drop {{redisUrl}}"
                            + " from " + field + ")"));
                }
            }
        }
        return Optional.empty();
    }

    /** The identity asked for: none (both empty), a resolved one, or why it cannot be resolved. */
    private record Identity(Optional<RunAs> runAs, Optional<LaunchRefusal> refusal) {
    }

    private Identity runAs(WorkerTemplate template) {
        Optional<String> asked = user(template);
        if (asked.isEmpty() && template.group().isEmpty()) {
            return new Identity(Optional.empty(), Optional.empty());
        }
        Optional<Accounts.User> user = asked.flatMap(accounts::user);
        if (asked.isPresent() && user.isEmpty()) {
            return refused("UnknownUser", "user: no user " + asked.get() + " on this host (/etc/passwd); "
                    + (template.user().isEmpty() ? "it is herd.workers.default-user, for pools without a user of their own when"
                    + " Zinit runs as root; create it (bin/install does: useradd --system " + asked.get() + "), set user, or"
                    + " set herd.workers.default-user" : "create it, or give an existing one (e.g. "
                    + String.join(", ", accounts.someUsers()) + ") or a numeric id"));
        }
        OptionalInt gid = template.group().map(g -> accounts.group(g).map(OptionalInt::of).orElse(OptionalInt.empty()))
                .orElse(user.map(u -> u.gid() < 0 ? OptionalInt.empty() : OptionalInt.of(u.gid())).orElse(OptionalInt.empty()));
        if (gid.isEmpty()) {
            return template.group().isPresent()
                    ? refused("UnknownGroup", "group: no group " + template.group().get() + " on this host (/etc/group); "
                            + "create it, or give an existing one or a numeric id")
                    : refused("UnknownGroup", "user: " + asked.get() + " has no entry in /etc/passwd to take a "
                            + "group from; set group too");
        }
        OptionalInt uid = user.map(u -> OptionalInt.of(u.uid())).orElse(OptionalInt.empty());
        boolean initGroups = user.map(u -> !u.name().isEmpty()).orElse(false);
        return new Identity(Optional.of(new RunAs(uid, gid.getAsInt(), initGroups)), Optional.empty());
    }

    private static Identity refused(String reason, String message) {
        return new Identity(Optional.empty(), Optional.of(new LaunchRefusal(reason, message)));
    }

    private static String mode(Path p) {
        try {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    private LaunchWrapper.Tools tools() {
        return new LaunchWrapper.Tools(absolute("prlimit"), absolute("setpriv"));
    }

    private String absolute(String tool) {
        return ProgramFiles.resolve(tool, herdPath, Optional.empty()).map(Path::toString).orElse(tool);
    }
}
