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

    HerdHttp(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    Reply get(String path) {
        URI uri = base.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Reply.Unreachable("cannot reach Herd at " + base + " (" + why + "); start it (bin/up) or point --url at it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply.Unreachable("interrupted while asking Herd at " + base);
        } catch (IllegalArgumentException e) {
            return new Reply.Unreachable("bad --url " + base + ": " + e.getMessage());
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return new Reply.Unreachable(uri + " did not answer JSON (HTTP " + response.statusCode()
                    + "); is --url pointing at Herd?");
        }
        if (response.statusCode() / 100 != 2) {
            // Herd's errors are problem+json: the detail says what is wrong
            String detail = body.path("detail").asText(body.path("title").asText("HTTP " + response.statusCode()));
            return new Reply.Refused(response.statusCode(), detail);
        }
        return new Reply.Ok(body);
    }
}
