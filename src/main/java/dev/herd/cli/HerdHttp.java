package dev.herd.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The imperative shell of the live commands: one GET to a running Herd, its answer as a value.
 * Every failure becomes a {@link Reply} that says what to fix; nothing here throws.
 */
final class HerdHttp {
    /** Reads Herd's JSON: the server's records, tolerant of fields added later. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** What one request came to. */
    sealed interface Reply {
        /** A 2xx answer with a JSON body. */
        record Ok(JsonNode body) implements Reply {
        }

        /** Herd answered, but not with what was asked (unknown pool, Zinit unavailable, ...). */
        record Refused(int status, String detail) implements Reply {
        }

        /** No answer at all: nothing listens, a timeout, or not Herd. */
        record Unreachable(String why) implements Reply {
        }
    }

    private final URI base;
    private final Duration timeout;
    private final HttpClient client;
    private final CliToken token;

    HerdHttp(URI base, Duration timeout, CliToken token) {
        this.base = base;
        this.timeout = timeout;
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * GETs {@code path} and passes each line of a {@code text/plain} answer on as it arrives (a
     * followed log lasts until Herd ends it or the process is stopped). The request has no overall
     * timeout, only the connect timeout. A failure is an {@link Reply.Unreachable} or
     * {@link Reply.Refused}; a stream that ran and ended is {@link Reply.Ok} with no body.
     */
    Reply stream(String path, java.util.function.Consumer<String> line) {
        HttpRequest request = authorized(HttpRequest.newBuilder(base.resolve(path))).header("Accept", "text/plain").GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> lines = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    String text = lines.collect(java.util.stream.Collectors.joining("\n"));
                    try {
                        return refused(JSON.readTree(text), response.statusCode());
                    } catch (IOException e) {
                        return new Reply.Refused(response.statusCode(), text);
                    }
                }
                lines.forEach(line);
            }
            return new Reply.Ok(JSON.nullNode());
        } catch (IOException | java.io.UncheckedIOException | InterruptedException | IllegalArgumentException e) {
            return unreachable(e);
        }
    }

    Reply get(String path) {
        URI uri = base.resolve(path);
        HttpRequest request = authorized(HttpRequest.newBuilder(uri)).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return unreachable(e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return new Reply.Unreachable(uri + " did not answer JSON (HTTP " + response.statusCode()
                    + "); is --url pointing at Herd?");
        }
        return response.statusCode() / 100 != 2 ? refused(body, response.statusCode()) : new Reply.Ok(body);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        token.value().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return request;
    }

    /** Herd's errors are problem+json: the detail says what is wrong. */
    private static Reply refused(JsonNode problem, int status) {
        return new Reply.Refused(status, problem.path("detail").asText(problem.path("title").asText("HTTP " + status)));
    }

    private Reply unreachable(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new Reply.Unreachable("interrupted while asking Herd at " + base);
        }
        if (e instanceof IllegalArgumentException) {
            return new Reply.Unreachable("bad --url " + base + ": " + e.getMessage());
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Reply.Unreachable("cannot reach Herd at " + base + " (" + why + "); start it (bin/up) or point --url at it");
    }
}
