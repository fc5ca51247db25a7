package dev.herd.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the run's private Redis and Zinit. The servers outlive a single
 * Quarkus application (several test classes share them) and stop when the JVM exits.
 */
public final class PrivateServersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.redis.hosts", PrivateServers.redis().url(),
                "herd.zinit.socket", PrivateServers.zinit().socket().toString(),
                "herd.desired-state.dir", PrivateServers.desiredStateDir().toString(),
                "herd.controller-id", "herd-test");
    }

    @Override
    public void stop() {
        // shared by the whole run: stopped at JVM exit
    }
}
