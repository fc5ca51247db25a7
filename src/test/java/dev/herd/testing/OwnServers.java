package dev.herd.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Redis, a Zinit and a desired-state folder for one test class alone, for a test that stops,
 * restarts or reconfigures them (the run's shared pair stays untouched). Subclass it, name the
 * controller, and write the pools; the test reaches the servers through {@link #of}.
 */
public abstract class OwnServers implements QuarkusTestResourceLifecycleManager {
    private static final Map<Class<?>, OwnServers> RUNNING = new ConcurrentHashMap<>();

    private PrivateRedis redis;
    private PrivateZinit zinit;

    /** The servers {@code resource} started, for the test to stop, restart or read. */
    public static OwnServers of(Class<? extends OwnServers> resource) {
        return RUNNING.get(resource);
    }

    public PrivateRedis redis() {
        return redis;
    }

    public PrivateZinit zinit() {
        return zinit;
    }

    /** Herd's controller id here: its workers are its own. */
    protected abstract String controllerId();

    /** The Redis to start (default: no persistence, no password). */
    protected PrivateRedis startRedis() {
        return PrivateRedis.start();
    }

    /** Pool files to put in the desired-state folder before Herd starts. */
    protected void writePools(Path desired) throws IOException {
    }

    @Override
    public Map<String, String> start() {
        redis = startRedis();
        zinit = PrivateZinit.start();
        try {
            Path desired = Files.createTempDirectory("herd-" + controllerId() + "-");
            writePools(desired);
            RUNNING.put(getClass(), this);
            return Map.of("quarkus.redis.hosts", redis.url(), "herd.zinit.socket", zinit.socket().toString(),
                    "herd.desired-state.dir", desired.toString(), "herd.controller-id", controllerId());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        RUNNING.remove(getClass());
        zinit.close();
        redis.close();
    }

    /** A test profile that runs only {@code resource}, none of the run's global test resources. */
    public abstract static class Only implements QuarkusTestProfile {
        private final Class<? extends OwnServers> resource;

        protected Only(Class<? extends OwnServers> resource) {
            this.resource = resource;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(resource));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }
}
