package dev.herd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.testing.Api;
import dev.herd.testing.PrivateServersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A fuzz property over the HTTP API: generated paths, parameters, methods, media types and bodies
 * (right and wrong shapes, wrong types, nulls, huge and strange strings, broken JSON, garbage), with
 * and without the token. Whatever comes in, the answer is never a 500 and never an error without a
 * problem document that has a detail. Seeded, so a failure is reproduced by its seed and case.
 */
@QuarkusTest
@QuarkusTestResource(value = PrivateServersResource.class, restrictToAnnotatedClass = false)
class ApiFuzzIT {
    private static final long SEED = 20261205L;
    private static final int CASES = 1500;
    private static final String[] FIELDS = {"pool", "scriptType", "script", "timeout", "retries", "env", "callerId", "contextId",
            "replicas", "ttl", "wait", "id", "", "__proto__", "scirpt"};
    private static final String[] WAITS = {"", "0s", "1ms", "50ms", "abc", "-1s", "99999999999h", "10m1s", "1m30", "%00", "1e3s", "null"};
    private static final String[] TYPES = {"application/json", "text/plain", "application/xml", "application/json; charset=latin1", ""};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

    @Test
    void noInputMakesA500OrAnErrorWithoutADetail() throws Exception {
        List<String> paths = paths();
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < CASES && failures.size() < 10; i++) {
            boolean job = random.nextInt(4) == 0; // a job submission near the right shape, to reach the field checks
            String method = job ? "POST" : random.nextInt(4) == 0 ? METHODS[random.nextInt(METHODS.length)] : (random.nextBoolean() ? "POST" : "GET");
            String path = job ? "/api/v1/jobs" : mutate(paths.get(random.nextInt(paths.size())), random);
            if (random.nextInt(3) == 0) {
                path += "?wait=" + WAITS[random.nextInt(WAITS.length)] + (random.nextInt(4) == 0 ? "&lines=" + random.nextInt() : "");
            }
            String body = job ? job(random) : body(random);
            RequestSpecification request = random.nextInt(10) == 0 ? RestAssured.given() : Api.given();
            String type = job ? "application/json" : TYPES[random.nextInt(TYPES.length)];
            if (!type.isEmpty()) {
                request = request.contentType(type);
            }
            Response response;
            try {
                response = request.body(body).urlEncodingEnabled(false)
                        .config(RestAssured.config().httpClient(io.restassured.config.HttpClientConfig.httpClientConfig()
                                .setParam("http.socket.timeout", 15_000)))
                        .request(method, path);
            } catch (RuntimeException e) {
                continue; // a request the client itself cannot send (an illegal URI): nothing reached Herd
            }
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String answer = response.asString();
            String where = "case " + i + " (seed " + SEED + "): " + method + " " + path + " " + type + " "
                    + (body.length() > 200 ? body.substring(0, 200) + "…" : body) + " -> " + status + " " + answer;
            if (status >= 500) {
                failures.add(where);
            } else if (status >= 400 && !method.equals("HEAD")) {
                JsonNode problem = parse(answer);
                if (problem == null || problem.path("detail").asText().isBlank()
                        || !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
                    failures.add(where);
                }
            }
        }
        assertThat(failures).as("answers that were a 500 or an error without a problem document").isEmpty();
        // the cases reached past each guard: the token, routing, media types, parsing and the resources
        assertThat(statuses).as("statuses seen").containsKeys(200, 400, 401, 404, 405, 415, 422);
    }

    /** Every path of the OpenAPI document under /api/, its parameters to be filled per case. */
    private static List<String> paths() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(RestAssured.given().accept("application/json").get("/q/openapi?format=json").asString());
        List<String> paths = new ArrayList<>(List.of("/api/v1/nothing", "/api", "/api/v2/jobs"));
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            String p = it.next().getKey();
            if (p.startsWith("/api/") && !p.endsWith("/stream")) { // the dashboard's event stream never ends by design
                paths.add(p);
            }
        }
        return paths;
    }

    private static String mutate(String path, Random random) {
        String[] fills = {"x", "osis", "osis-0", "00000000-0000-0000-0000-000000000000", "%2e%2e", "a".repeat(300), "%00", "..",
                "%F0%9F%90%91", "-1", "x%20y"};
        return path.replaceAll("\\{[^}]+}", fills[random.nextInt(fills.length)]);
    }

    private static String body(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> garbage(random);
            case 2 -> {
                String whole = object(random, 0); // cut short: broken JSON
                yield whole.substring(0, random.nextInt(whole.length()));
            }
            case 3 -> value(random, 0) + " " + value(random, 0);
            default -> object(random, 0);
        };
    }

    /** A submission with a script, a type and some fields, each right or wrong by chance. */
    private static String job(Random random) {
        StringBuilder out = new StringBuilder("{\"scriptType\":").append(random.nextInt(5) == 0 ? value(random, 2) : string(random))
                .append(",\"script\":").append(random.nextInt(5) == 0 ? value(random, 2) : "\"echo hi\"");
        if (random.nextBoolean()) {
            out.append(",\"timeout\":").append(random.nextBoolean() ? string(random) : value(random, 2));
        }
        if (random.nextBoolean()) {
            out.append(",\"retries\":").append(random.nextBoolean() ? Integer.toString(random.nextInt(300) - 100) : value(random, 2));
        }
        if (random.nextBoolean()) {
            out.append(",\"env\":{").append(string(random)).append(':').append(random.nextBoolean() ? string(random) : value(random, 2)).append('}');
        }
        return out.append('}').toString();
    }

    private static String object(Random random, int depth) {
        StringBuilder out = new StringBuilder("{");
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            String key = random.nextInt(5) == 0 ? string(random) : "\"" + FIELDS[random.nextInt(FIELDS.length)] + "\"";
            out.append(key).append(':').append(value(random, depth + 1));
        }
        return out.append('}').toString();
    }

    private static String value(Random random, int depth) {
        return switch (depth > 2 ? random.nextInt(6) : random.nextInt(8)) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 3 -> random.nextBoolean() ? Double.toString(random.nextGaussian() * 1e6) : "1e309";
            case 4, 5 -> string(random);
            case 6 -> "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
            default -> object(random, depth + 1);
        };
    }

    private static String string(Random random) {
        String[] picks = {"", "osis", "echo hi", "30s", "1m", "5", "-3", "\\u0000", "\\ud800", "é😀", "x".repeat(5000), "HERD_X", "1A",
                "a\\nb", "\\\"", "{{workerId}}", "1h", "0s", "24h1s"};
        return "\"" + picks[random.nextInt(picks.length)] + "\"";
    }

    private static String garbage(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static JsonNode parse(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
