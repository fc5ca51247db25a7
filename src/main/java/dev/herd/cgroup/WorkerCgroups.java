package dev.herd.cgroup;

import dev.herd.config.HerdConfig;
import dev.herd.desired.Limits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * This host's cgroups as Herd uses them. At start it finds the hierarchies and makes its scope in
 * each ({@code <mount>/<herd.workers.cgroup-parent>/<controller-id>-<zinit>}; on v2 with the
 * controllers enabled down to it); a controller it cannot prepare is unavailable, with the reason,
 * and pools asking for its limit show it. Its file reads and writes are small and local; they run
 * on the reconcile thread or the delete lane, never on an event loop.
 */
@ApplicationScoped
public class WorkerCgroups {
    private static final Logger LOG = Logger.getLogger(WorkerCgroups.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private static final int KILL_ROUNDS = 40;
    private static final long KILL_PAUSE_MILLIS = 50;

    private final Map<Controller, Mount> ready;
    private final Map<Controller, String> unavailable;
    private final String scope;
    private final boolean swap;

    @Inject
    public WorkerCgroups(HerdConfig config) {
        this(Mounts.read(Path.of("/proc/self/mountinfo")).map(text -> Mounts.parse(text, Mounts::offeredBy)).orElse(Map.of()),
                config.workers().cgroupParent().strip() + "/" + config.controllerId() + "-" + shortHash(config.zinit().socket().toString()));
    }

    /**
     * @param mounts where each controller's hierarchy is
     * @param scope  Herd's folder in each, relative
     */
    public WorkerCgroups(Map<Controller, Mount> mounts, String scope) {
        this.scope = scope;
        Map<Controller, Mount> prepared = new EnumMap<>(Controller.class);
        Map<Controller, String> missing = new EnumMap<>(Controller.class);
        for (Controller c : Controller.values()) {
            Mount mount = mounts.get(c);
            Optional<String> problem = mount == null
                    ? Optional.of("no cgroup hierarchy on this host offers the " + c.kernelName() + " controller (/proc/self/mountinfo)")
                    : !SAFE_NAME.matcher(scope).matches() || List.of(scope.split("/")).stream().anyMatch(p -> p.equals(".") || p.equals(".."))
                    ? Optional.of("the cgroup folder name \"" + scope + "\" has characters Herd does not"
                    + " put in a path; set herd.workers.cgroup-parent and herd.controller-id to letters, digits, '.', '_' and '-'")
                    : prepare(mount, c);
            problem.ifPresentOrElse(p -> missing.put(c, p), () -> prepared.put(c, mount));
        }
        this.ready = Map.copyOf(prepared);
        this.unavailable = Map.copyOf(missing);
        Mount memory = ready.get(Controller.MEMORY);
        // whether the kernel accounts swap: then the memory limit covers it too (v1 memsw, v2 memory.swap.max)
        this.swap = memory != null && Files.exists(memory.unified() ? memory.path().resolve(scope).resolve("memory.swap.max")
                : memory.path().resolve("memory.memsw.limit_in_bytes"));
        if (!missing.isEmpty()) {
            LOG.infof("cgroup limits Herd cannot enforce on this host: %s", missing);
        }
        sweep();
    }

    /** No cgroups at all: every cgroup limit is unenforced (for tests of other concerns). */
    public static WorkerCgroups none() {
        return new WorkerCgroups(Map.of(), "herd");
    }

    static String shortHash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the scope folder; on v2 also enables the controller in every group above the workers' own. */
    private Optional<String> prepare(Mount mount, Controller c) {
        Path dir = mount.path().resolve(scope);
        try {
            Files.createDirectories(dir);
            if (mount.unified()) {
                Path at = mount.path();
                for (Path part : mount.path().relativize(dir)) {
                    enable(at, c);
                    at = at.resolve(part);
                }
                enable(at, c);
            }
            if (!Files.isWritable(dir)) {
                return Optional.of(dir + " is not writable by Herd's user");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot prepare " + dir + ": " + why(e));
        }
    }

    private static void enable(Path group, Controller c) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        if (!Set.of(Files.readString(control).trim().split("\\s+")).contains(c.kernelName())) {
            Files.writeString(control, "+" + c.kernelName());
        }
    }

    private static String why(IOException e) {
        return e instanceof AccessDeniedException ? "permission denied (run Herd as root, or give its user that folder)"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The launch wrapper's steps that put {@code worker} in its groups under {@code limits}; none when it needs none. */
    public List<String> setup(String worker, Limits limits) {
        return GroupSetup.steps(ready, scope, worker, limits, swap);
    }

    /** Which of {@code limits} cannot be enforced here, and why; empty when all can. */
    public Optional<String> unenforced(Limits limits) {
        List<String> out = new ArrayList<>();
        for (Controller c : GroupSetup.needed(limits)) {
            if (unavailable.containsKey(c)) {
                out.add(field(c) + ": " + unavailable.get(c));
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", out));
    }

    private static String field(Controller c) {
        return "limits." + switch (c) {
            case MEMORY -> "memory";
            case CPU -> "cpu";
            case PIDS -> "processes";
        };
    }

    /** How many times the kernel has killed a process of {@code worker} for memory since its group was made; 0 without one. */
    public long oomKills(String worker) {
        Mount memory = ready.get(Controller.MEMORY);
        if (memory == null) {
            return 0;
        }
        Path group = memory.path().resolve(scope).resolve(worker);
        return Mounts.read(group.resolve(memory.unified() ? "memory.events" : "memory.oom_control"))
                .flatMap(text -> text.lines().filter(l -> l.startsWith("oom_kill ")).findFirst())
                .map(l -> Long.parseLong(l.substring("oom_kill ".length()).trim())).orElse(0L);
    }

    /**
     * Ends whatever still runs in a removed worker's groups (processes that left its process group
     * are in them still) and removes the groups. Blocks for at most about two seconds.
     *
     * @return how many processes had to be killed
     */
    public int release(String worker) {
        Set<Path> groups = groupsOf(worker);
        int killed = 0;
        for (int round = 0; round < KILL_ROUNDS; round++) {
            Set<Long> pids = new LinkedHashSet<>();
            groups.forEach(g -> Mounts.read(g.resolve("cgroup.procs")).ifPresent(t -> t.lines().filter(l -> !l.isBlank())
                    .forEach(l -> pids.add(Long.parseLong(l.trim())))));
            if (pids.isEmpty()) {
                break;
            }
            for (long pid : pids) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) {
                    killed++;
                }
            }
            pause();
        }
        groups.forEach(WorkerCgroups::remove);
        if (killed > 0) {
            LOG.infof("killed %d process(es) left in the cgroup of removed worker %s", killed, worker);
        }
        return killed;
    }

    private Set<Path> groupsOf(String worker) {
        Set<Path> out = new LinkedHashSet<>();
        ready.values().forEach(m -> out.add(m.path().resolve(scope).resolve(worker)));
        out.removeIf(p -> !Files.isDirectory(p));
        return out;
    }

    /** Removes the empty groups in Herd's scope: those of workers removed while Herd was not running. A busy group stays. */
    public void sweep() {
        Map<Path, Boolean> scopes = new LinkedHashMap<>();
        ready.values().forEach(m -> scopes.put(m.path().resolve(scope), true));
        for (Path dir : scopes.keySet()) {
            try (Stream<Path> groups = Files.list(dir)) {
                groups.filter(Files::isDirectory).forEach(WorkerCgroups::remove);
            } catch (IOException e) {
                LOG.debugf("cannot list %s: %s", dir, e.getMessage());
            }
        }
    }

    /**
     * At Herd's stop: the empty groups. The scope stays (on v2 it carries the controllers its
     * workers' groups need, and workers Zinit restarts while Herd is down make their groups in it).
     */
    @jakarta.annotation.PreDestroy
    void close() {
        sweep();
    }

    private static void remove(Path group) {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            LOG.debugf("cgroup %s stays: %s", group, e.getMessage()); // busy: a process still runs in it
        }
    }

    private static void pause() {
        try {
            Thread.sleep(KILL_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
