package dev.herd.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herd.testing.HeroPools;
import dev.herd.testing.LiveHeapProbe;
import dev.herd.testing.PrivateHerd;
import dev.herd.testing.PrivateRedis;
import dev.herd.testing.PrivateZinit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many requests waiting on one multi-megabyte job cost Herd one copy of it, not one per waiter:
 * Herd in its own JVM with a small heap, 300 waiters that do not read their answers until the end,
 * a job of about 2 MB (script and output). Its live heap (after a full collection, as the soak
 * measures it) is sampled throughout and must stay within a fixed margin of what it was before.
 */
class JobWaitersMemoryJarIT {
    private static final int WAITERS = 300;
    private static final int SCRIPT_PADDING = 900_000;
    private static final int OUTPUT_BYTES = 1_000_000;
    /** Live heap the waiters may add, all together: a few copies of the job at most. */
    private static final long MARGIN = 48L << 20;

    @TempDir
    Path dir;

    @Test
    void manyWaitersOnAMultiMegabyteJobKeepTheHeapBounded() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(); PrivateZinit zinit = PrivateZinit.start()) {
            Path desired = Files.createDirectories(dir.resolve("desired"));
            Files.writeString(desired.resolve("big.yaml"), "apiVersion: herd/v1\nkind: WorkerPool\nmetadata: {name: big}\n"
                    + "spec:\n  replicas: 1\n  template:\n    exec: " + HeroPools.EXEC + "\n");
            try (PrivateHerd herd = PrivateHerd.launch(Map.of("quarkus.redis.hosts", redis.url(), "herd.zinit.socket", zinit.socket().toString(),
                    "herd.desired-state.dir", desired.toString(), "herd.controller-id", "herd-waiters", "herd.home",
                    PrivateHerd.projectRoot().toString()), List.of("-Xmx256m"), dir.resolve("herd.log"));
                 LiveHeapProbe probe = new LiveHeapProbe()) {
                herd.awaitUp(Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(60)).until(() -> herd.get("/api/v1/pools/big").map(b -> b.contains("\"readyReplicas\":1"))
                        .orElse(false));
                long before = probe.liveBytes(herd.pid()).orElseThrow();

                String script = "sleep 6; head -c " + OUTPUT_BYTES + " /dev/zero | tr '\\0' a\n#" + "b".repeat(SCRIPT_PADDING) + "\n";
                HttpResponse<String> submitted = HttpClient.newHttpClient().send(herd.request("/api/v1/jobs")
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"pool\":\"big\",\"script\":" + json(script) + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
                String id = submitted.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");

                List<Socket> waiters = new ArrayList<>();
                for (int i = 0; i < WAITERS; i++) {
                    Socket s = new Socket("127.0.0.1", Integer.parseInt(herd.url().substring(herd.url().lastIndexOf(':') + 1)));
                    s.setSoTimeout(120_000);
                    s.getOutputStream().write(("GET /api/v1/jobs/" + id + "?wait=2m HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + herd.token() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    waiters.add(s);
                }
                // while they wait, and after the job ends (the answers pile up unread): the live heap, again and again
                AtomicLong peak = new AtomicLong(before);
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        probe.liveBytes(herd.pid()).ifPresent(b -> peak.accumulateAndGet(b, Math::max));
                        try {
                            Thread.sleep(200); // a full collection stops Herd: not back to back
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                Thread.sleep(15_000); // the job sleeps 6 s, then every waiter is answered
                sampling.set(false);
                sampler.join(20_000);

                int complete = 0;
                List<String> failures = new ArrayList<>();
                for (Socket s : waiters) {
                    try (s; InputStream in = s.getInputStream()) {
                        String answer = new String(readAll(in), StandardCharsets.UTF_8);
                        if (!answer.startsWith("HTTP/1.1 200")) {
                            failures.add(answer.substring(0, Math.min(400, answer.length())));
                        }
                        if (answer.startsWith("HTTP/1.1 200") && answer.contains("a".repeat(OUTPUT_BYTES)) && answer.contains("b".repeat(SCRIPT_PADDING))) {
                            complete++;
                        }
                    }
                }
                System.out.printf("JobWaitersMemoryJarIT: live heap %d KiB before, %d KiB at most with %d waiters on a %d KiB job%n",
                        before >> 10, peak.get() >> 10, WAITERS, (SCRIPT_PADDING + OUTPUT_BYTES) >> 10);
                assertThat(complete).as("waiters answered in full; not: " + failures.stream().distinct().toList()).isEqualTo(WAITERS);
                assertThat(peak.get() - before).as("live heap added by the waiters, bytes").isLessThanOrEqualTo(MARGIN);
                assertThat(herd.get("/q/health/live")).isPresent();
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
