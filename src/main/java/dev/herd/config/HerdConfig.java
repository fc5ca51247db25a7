package dev.herd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Herd's settings. Every property can also be set as an environment variable, e.g. HERD_ZINIT_SOCKET. */
@ConfigMapping(prefix = "herd")
public interface HerdConfig {

    /**
     * The name of this controller instance. It is written into every service Herd creates, so
     * ownership survives restarts and several controllers (or hosts) never claim each other's services.
     */
    @WithDefault("herd")
    String controllerId();

    /**
     * Where Herd is installed: {@code {{herdHome}}} in a worker template (the example pools run
     * {@code {{herdHome}}/workers/bin/hero-worker}). Defaults to the working directory.
     */
    @WithDefault("${user.dir}")
    java.nio.file.Path home();

    Zinit zinit();

    Api api();

    interface Api {
        /**
         * The bearer token every request under {@code /api/} needs ({@code Authorization: Bearer <token>}).
         * Unset (the default), Herd uses the token in {@code token-file}, creating it on first start.
         */
        Optional<String> token();

        /**
         * The file that holds the token when {@code token} is not set: mode 0600, so only Herd's user
         * (and root) can use the API. Default: {@code $XDG_CONFIG_HOME/herd/api-token}, else
         * {@code ~/.config/herd/api-token}, where the CLI looks too.
         */
        Optional<Path> tokenFile();

        /** Largest request body; a bigger one is refused with 413 before it is read. */
        @WithDefault("2M")
        io.quarkus.runtime.configuration.MemorySize maxBody();

        /** Largest job script (UTF-8 bytes). */
        @WithDefault("1M")
        io.quarkus.runtime.configuration.MemorySize maxScript();

        /** Most entries in a job's env (the Hero worker refuses more, too). */
        @WithDefault("1000")
        int maxEnvEntries();

        /** Largest job env, as the JSON text the worker reads (UTF-8 bytes); the shipped workers take at most 256K. */
        @WithDefault("256K")
        io.quarkus.runtime.configuration.MemorySize maxEnvBytes();

        /** Requests waiting on jobs at once ({@code ?wait=}); more are refused with 429. */
        @WithDefault("512")
        int maxWaiters();

        /** Logs followed at once ({@code follow=true}); more are refused with 429. */
        @WithDefault("64")
        int maxLogFollowers();
    }

    Workers workers();

    interface Workers {
        /**
         * Whether a pool may run its workers as root. When false (the default), a pool whose
         * template.user is root (or uid 0), or that would run as a root Zinit's own user, is refused
         * with a LaunchRefused condition (RootForbidden).
         */
        @WithDefault("false")
        boolean allowRoot();

        /**
         * The account a pool without template.user runs as when Zinit runs as root (its socket is
         * root's): an unprivileged one that bin/install creates. {@code zinit} keeps Zinit's own
         * user (then allow-root must be true for such pools).
         */
        @WithDefault("herd-worker")
        String defaultUser();

        /**
         * Most workers of this Herd on the host, all pools together, terminating ones included. When
         * it binds, creations wait and the pools that wanted them show the HostCapacity condition.
         */
        @WithDefault("1000")
        int maxPerHost();

        /**
         * The folder in each cgroup hierarchy under which Herd makes its workers' groups (for the
         * memory, cpu and processes limits), one scope per controller and Zinit:
         * {@code <mount>/<cgroup-parent>/<controller-id>-<hash of the Zinit socket>/<worker>}.
         */
        @WithDefault("herd")
        String cgroupParent();
    }

    Stats stats();

    interface Stats {
        /** How often every worker's CPU and memory are sampled (off the reconcile thread). */
        @WithDefault("5s")
        Duration interval();
    }

    Strays strays();

    /** Processes of Herd's workers that no Zinit service runs (package dev.herd.strays). */
    interface Strays {
        /**
         * Look for them, and SIGKILL them (or SIGSTOP them where zinit-server still waits for them).
         * Needs this host's /proc ({@code herd.zinit.local-pids}); labels name the controller and the Zinit socket.
         */
        @WithDefault("true")
        boolean reap();

        /** How often /proc is scanned; a process is killed once it was a stray in two scans this far apart. */
        @WithDefault("5s")
        Duration interval();
    }

    DesiredState desiredState();

    Reconcile reconcile();

    interface Reconcile {
        /** How often Zinit is observed (and a pass runs) when nothing else triggers one. */
        @WithDefault("1s")
        Duration interval();

        /** Actions applied at once within a stage. */
        @WithDefault("16")
        int parallelism();

        /**
         * Most workers created in one pass over all pools. Within it each pool starts slowly (1, 2,
         * 4, … per pass while creations succeed; 1 again after a failure), and the next pass plans
         * afresh, so a lowered or withdrawn count stops creation at once.
         */
        @WithDefault("64")
        @io.smallrye.config.WithName("creation-burst")
        int creationBurst();

        /** Upper bound of one pass (observe, plan, apply); a pass that takes longer is abandoned and retried. */
        @WithDefault("120s")
        Duration passTimeout();

        /** First retry delay of a pool whose actions failed; doubles (with jitter) up to {@code backoff-max}. */
        @WithDefault("200ms")
        Duration backoffInitial();

        @WithDefault("60s")
        Duration backoffMax();

        /**
         * Whether stopping Herd stops every worker it owns (in reverse dependency order). Off by
         * default: restarting the controller must not take the fleet down.
         */
        @WithDefault("false")
        boolean stopWorkersOnShutdown();
    }

    interface Zinit {
        /** The Zinit Unix socket. */
        @WithDefault("/run/zinit.sock")
        Path socket();

        /** auto (detect when connecting), v0.3, v0.2 or legacy. */
        @WithDefault("auto")
        String dialect();

        /** Timeout of every single Zinit call. */
        @WithDefault("5s")
        Duration callTimeout();

        /** Persistent connections kept to the socket (v0.3 answers each connection's calls in order). */
        @WithDefault("4")
        int connections();

        /**
         * Whether Zinit's process ids are this host's (Herd and Zinit in the same pid namespace, as
         * with bin/up or Herd under Zinit). Then a worker Zinit still shows running after its process
         * died (Zinit 0.3.9 can lose an exit) is noticed and recreated. Set false when Herd runs in a
         * container that only shares Zinit's socket.
         */
        @WithDefault("true")
        boolean localPids();

        /** Calls allowed in flight at once; more fail fast instead of queueing without bound. */
        @WithDefault("256")
        int maxInFlight();
    }

    interface DesiredState {
        /** The folder of WorkerPool YAML files, read recursively. */
        @WithDefault("desired-state")
        Path dir();

        /** How often the folder is rescanned even without file-system events. */
        @WithDefault("10s")
        Duration rescanInterval();

        /** Quiet time after a file-system event before the folder is read (a git pull lands as one snapshot). */
        @WithDefault("200ms")
        Duration debounce();

    }
}
