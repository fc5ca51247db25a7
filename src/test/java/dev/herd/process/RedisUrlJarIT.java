package dev.herd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.testing.PrivateZinit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original design names Redis with REDIS_URL; Herd takes it when quarkus.redis.hosts is not set. */
class RedisUrlJarIT {
    @TempDir
    Path dir;

    @Test
    void redisUrlNamesRedisWhenNothingElseDoes() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); PrivateZinit zinit = PrivateZinit.start()) {
            Path desired = Files.createDirectories(dir.resolve("desired"));
            try (PrivateHerd herd = PrivateHerd.launch(Map.of("herd.zinit.socket", zinit.socket().toString(),
                    "herd.desired-state.dir", desired.toString(), "herd.controller-id", "herd-redis-url"), List.of(),
                    dir.resolve("herd.log"), Map.of("REDIS_URL", redis.url()))) {
                herd.awaitUp(Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> herd.get("/q/health/ready").isPresent());
                assertThat(herd.get("/q/health/ready").orElseThrow()).contains(redis.url()).contains("UP");
            }
        }
    }
}
