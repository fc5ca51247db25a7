package dev.herd.testing;

/**
 * The redis-server and zinit-server shared by a whole test run: started on first use, stopped when
 * the JVM exits (and by their watchdogs if it is killed). Tests that need to stop or restart a
 * server start their own {@link PrivateRedis} / {@link PrivateZinit} instead.
 */
public final class PrivateServers {
    private static PrivateRedis redis;
    private static PrivateZinit zinit;
    private static java.nio.file.Path desiredStateDir;

    private PrivateServers() {
    }

    public static synchronized PrivateRedis redis() {
        if (redis == null) {
            redis = PrivateRedis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "stop-private-redis"));
        }
        return redis;
    }

    /** An empty desired-state folder for the run's Herd; tests write WorkerPool files into it. */
    public static synchronized java.nio.file.Path desiredStateDir() {
        if (desiredStateDir == null) {
            try {
                desiredStateDir = java.nio.file.Files.createTempDirectory("herd-desired-");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return desiredStateDir;
    }

    public static synchronized PrivateZinit zinit() {
        if (zinit == null) {
            zinit = PrivateZinit.start();
            Runtime.getRuntime().addShutdownHook(new Thread(zinit::close, "stop-private-zinit"));
        }
        return zinit;
    }
}
