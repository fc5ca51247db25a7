package dev.herd.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every job the soak submitted, and how they ended. Jobs go in either through Herd's jobs API or
 * straight into Redis in the Hero protocol (as a client that knows nothing of Herd would, and the
 * only way while Herd itself is down). Each job's script appends a line to {@code runs/<id>}, so
 * the soak knows how often it really ran, whatever the job hash says.
 */
final class JobLedger {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final Path runs;
    private final Resp redis;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, String> poolOf = new LinkedHashMap<>();
    private int viaApi;
    private int viaRedis;
    private int refused;

    JobLedger(Path runs, Resp redis) throws IOException {
        this.runs = Files.createDirectories(runs);
        this.redis = redis;
    }

    /** The job's script: record the run, then work for {@code millis}. */
    private String script(long millis) {
        return "echo run >> '" + runs + "'/\"$HERD_JOB_ID\"; sleep " + String.format("%.3f", millis / 1000.0) + "; echo done";
    }

    /** Submits through Herd's API; false when Herd refused or did not answer (nothing is recorded then). */
    boolean submitViaApi(dev.herd.testing.PrivateHerd herd, String pool, long millis) {
        String body = "{\"pool\":\"" + pool + "\",\"script\":" + json(script(millis)) + ",\"retries\":2,\"timeout\":\"60s\"}";
        try {
            HttpResponse<String> r = HTTP.send(herd.request("/api/v1/jobs").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = ID.matcher(r.body());
            if (r.statusCode() == 201 && m.find()) {
                poolOf.put(m.group(1), pool);
                viaApi++;
                return true;
            }
        } catch (IOException e) {
            // counted as refused below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refused++;
        return false;
    }

    /** Submits straight into Redis: the job hash and the pool's queue in one MULTI/EXEC. */
    boolean submitViaRedis(String pool, long millis) {
        String id = "soak-" + sequence.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
        String now = Instant.now().toString();
        List<String> hset = new ArrayList<>(List.of("HSET", "hero:job:" + id));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("script", script(millis));
        fields.put("script_type", pool);
        fields.put("timeout", "60");
        fields.put("retries", "2");
        fields.put("env_vars", "{}");
        fields.put("created_at", now);
        fields.put("updated_at", now);
        fields.put("status", "dispatched");
        fields.put("pool", pool);
        fields.put("attempts", "0");
        fields.forEach((k, v) -> {
            hset.add(k);
            hset.add(v);
        });
        try {
            List<Object> replies = redis.pipeline(List.of(List.of("MULTI"), hset, List.of("LPUSH", "hero:work_queue:" + pool, id), List.of("EXEC")));
            if (replies.get(3) instanceof List<?>) {
                poolOf.put(id, pool);
                viaRedis++;
                return true;
            }
        } catch (IOException e) {
            // counted as refused below
        }
        refused++;
        return false;
    }

    int submitted() {
        return poolOf.size();
    }

    /** Judges every job as it stands now. */
    Tally tally() throws IOException {
        List<String> ids = new ArrayList<>(poolOf.keySet());
        Tally tally = new Tally(ids.size(), viaApi, viaRedis, refused);
        for (int from = 0; from < ids.size(); from += 200) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 200));
            List<List<String>> reads = batch.stream().map(id -> List.of("HGETALL", "hero:job:" + id)).toList();
            List<Object> hashes = redis.pipeline(reads);
            for (int i = 0; i < batch.size(); i++) {
                tally.add(JobVerdict.of(batch.get(i), asMap(hashes.get(i)), runsOf(batch.get(i))));
            }
        }
        return tally;
    }

    private int runsOf(String id) throws IOException {
        Path file = runs.resolve(id);
        return Files.exists(file) ? (int) Files.readAllLines(file).stream().filter(l -> l.equals("run")).count() : 0;
    }

    private static Optional<Map<String, String>> asMap(Object reply) {
        if (!(reply instanceof List<?> list) || list.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i + 1 < list.size(); i += 2) {
            map.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
        }
        return Optional.of(map);
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Counts of the verdicts, and the violations in full. */
    static final class Tally {
        final int submitted;
        final int viaApi;
        final int viaRedis;
        final int refused;
        int finished;
        int failed;
        int retried;
        int pending;
        final List<String> violations = new ArrayList<>();
        final Map<String, Integer> failureReasons = new TreeMap<>();
        final Map<String, Integer> pendingStatuses = new TreeMap<>();
        final List<String> pendingIds = new ArrayList<>();

        Tally(int submitted, int viaApi, int viaRedis, int refused) {
            this.submitted = submitted;
            this.viaApi = viaApi;
            this.viaRedis = viaRedis;
            this.refused = refused;
        }

        void add(JobVerdict verdict) {
            if (verdict instanceof JobVerdict.Finished f) {
                finished++;
                retried += f.attempts() > 0 ? 1 : 0;
            } else if (verdict instanceof JobVerdict.Failed f) {
                failed++;
                retried += f.attempts() > 0 ? 1 : 0;
                // worker names and counts vary; the kind of reason is what the table shows
                failureReasons.merge(f.reason().replaceAll("[a-z]+-[a-z]+-\\d+", "<worker>").replaceAll("\\d+", "N"), 1, Integer::sum);
            } else if (verdict instanceof JobVerdict.Pending p) {
                pending++;
                pendingStatuses.merge(p.status().isEmpty() ? "(none)" : p.status(), 1, Integer::sum);
                if (pendingIds.size() < 10) {
                    pendingIds.add(p.id());
                }
            } else if (verdict instanceof JobVerdict.Violation v) {
                violations.add(v.what());
            }
        }

        boolean allDone() {
            return pending == 0;
        }
    }
}
