package dev.herd.zinit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.testing.PrivateZinit;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the recorded Zinit 0.3.9 transcripts in {@code src/test/resources/zinit/v03/} against a
 * fresh private {@code zinit-server} per file, over a raw Unix socket, and checks that every
 * response has the recorded structure. See docs/zinit-protocol.md, "Transcripts", for the format.
 *
 * <p>Compared exactly: {@code jsonrpc}, {@code id} and the whole {@code error} object (code,
 * message, data). Compared by structure only (same keys, same JSON types, same array lengths):
 * everything under {@code result}, since pids, timestamps, memory sizes and temp paths differ per
 * run. A recorded {@code "response": null} means "no answer within timeout_ms" (the known hang).
 *
 * <p>{@code -Dzinit.record=true} also writes what this run received to
 * {@code target/zinit-transcripts/}, in the same format, to refresh the fixtures.
 */
class V03TranscriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_TIMEOUT_MS = 15_000;

    @TestFactory
    Stream<DynamicTest> replaysEveryRecordedTranscript() throws IOException {
        Path dir = transcriptDir();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertThat(files).as("transcripts in %s", dir).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
    }

    /** One connection carries many requests; pipelined requests are answered strictly in order. */
    @Test
    void pipelinedRequestsAreAnsweredInOrderAndOtherConnectionsAreNotBlocked() throws Exception {
        try (PrivateZinit zinit = PrivateZinit.start()) {
            try (Line a = new Line(zinit.socket()); Line b = new Line(zinit.socket())) {
                a.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"service.set\",\"params\":{\"config\":"
                        + "{\"service\":{\"name\":\"slow\",\"exec\":\"sleep 300\"}}}}");
                assertThat(JSON.readTree(a.read(DEFAULT_TIMEOUT_MS)).has("result")).isTrue();

                // delete of a running service takes ~5 s; the ping behind it on the same connection waits
                a.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"service.delete\",\"params\":{\"name\":\"slow\"}}\n"
                        + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"system.ping\"}");
                long t0 = System.nanoTime();
                b.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"system.ping\"}");
                assertThat(JSON.readTree(b.read(2_000)).path("id").asLong()).isEqualTo(7);
                long otherConnectionMs = (System.nanoTime() - t0) / 1_000_000;

                JsonNode first = JSON.readTree(a.read(DEFAULT_TIMEOUT_MS));
                JsonNode second = JSON.readTree(a.read(DEFAULT_TIMEOUT_MS));
                long pipelinedMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(first.path("id").asLong()).isEqualTo(2);
                assertThat(second.path("id").asLong()).isEqualTo(3);
                assertThat(otherConnectionMs).isLessThan(1_000);
                assertThat(pipelinedMs).as("delete of a running service waits its 5 s grace").isGreaterThan(4_000);
            } finally {
                shutdown(zinit);
            }
        }
    }

    private void replay(Path file) throws Exception {
        List<String> recordedLines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        List<String> received = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (PrivateZinit zinit = PrivateZinit.start()) {
            Line conn = new Line(zinit.socket());
            try {
                int n = 0;
                for (String text : recordedLines) {
                    n++;
                    JsonNode step = JSON.readTree(text);
                    long delay = step.path("delay_ms").asLong(0);
                    long timeout = step.path("timeout_ms").asLong(DEFAULT_TIMEOUT_MS);
                    JsonNode request = step.get("request");
                    JsonNode expected = step.get("response");
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    String wire = request.isTextual() ? request.asText() : JSON.writeValueAsString(request);
                    conn.send(wire);
                    String answer = conn.read(timeout);
                    JsonNode actual = answer == null ? null : JSON.readTree(answer);
                    if (answer == null) {
                        // a connection that timed out may still get a late answer: never reuse it
                        conn.close();
                        conn = new Line(zinit.socket());
                    }
                    String where = file.getFileName() + ":" + n + " " + describe(request);
                    if (expected == null || expected.isNull()) {
                        if (actual != null) {
                            problems.add(where + ": expected no answer within " + timeout + " ms, got " + answer);
                        }
                    } else if (actual == null) {
                        problems.add(where + ": no answer within " + timeout + " ms, expected " + expected);
                    } else {
                        compare(expected, actual, "$", false, where, problems);
                    }
                    ObjectNode line = JsonNodeFactory.instance.objectNode();
                    if (delay > 0) {
                        line.put("delay_ms", delay);
                    }
                    if (step.has("timeout_ms")) {
                        line.put("timeout_ms", timeout);
                    }
                    line.set("request", request);
                    line.set("response", actual == null ? JsonNodeFactory.instance.nullNode() : actual);
                    received.add(JSON.writeValueAsString(line));
                }
            } finally {
                conn.close();
                shutdown(zinit);
            }
        }
        if (Boolean.getBoolean("zinit.record")) {
            Path out = Path.of("target", "zinit-transcripts");
            Files.createDirectories(out);
            Files.write(out.resolve(file.getFileName()), received, StandardCharsets.UTF_8);
        }
        assertThat(problems).as("differences from %s", file.getFileName()).isEmpty();
    }

    /**
     * Exact for jsonrpc, id and error; structural (keys, JSON types, array lengths) elsewhere.
     */
    static void compare(JsonNode expected, JsonNode actual, String path, boolean exact, String where, List<String> problems) {
        boolean exactHere = exact || path.equals("$.jsonrpc") || path.equals("$.id") || path.equals("$.error");
        if (exactHere) {
            if (!expected.equals(actual)) {
                problems.add(where + ": " + path + " expected " + expected + " but was " + actual);
            }
            return;
        }
        if (!type(expected).equals(type(actual))) {
            problems.add(where + ": " + path + " expected a " + type(expected) + " (" + expected + ") but was a "
                    + type(actual) + " (" + actual + ")");
            return;
        }
        if (expected.isObject()) {
            TreeSet<String> want = new TreeSet<>();
            expected.fieldNames().forEachRemaining(want::add);
            TreeSet<String> got = new TreeSet<>();
            actual.fieldNames().forEachRemaining(got::add);
            if (!want.equals(got)) {
                problems.add(where + ": " + path + " keys expected " + want + " but were " + got + " (" + actual + ")");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                compare(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey(), false, where, problems);
            }
        } else if (expected.isArray()) {
            if (expected.size() != actual.size()) {
                problems.add(where + ": " + path + " expected " + expected.size() + " elements but got " + actual.size()
                        + " (" + actual + ")");
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), path + "[" + i + "]", false, where, problems);
            }
        }
    }

    static String type(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "float";
        }
        return n.getNodeType().name().toLowerCase();
    }

    private static String describe(JsonNode request) {
        return request.isTextual() ? "raw " + request : request.path("method").asText() + " " + request.path("params");
    }

    /** system.shutdown stops every service (so none is orphaned), then the server exits. */
    private static void shutdown(PrivateZinit zinit) {
        if (Files.exists(zinit.socket())) {
            try (Line l = new Line(zinit.socket())) {
                l.send("{\"jsonrpc\":\"2.0\",\"id\":9999,\"method\":\"system.shutdown\"}");
                l.read(2_000);
            } catch (IOException e) {
                // already gone
            }
            for (int i = 0; i < 100 && Files.exists(zinit.socket()); i++) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Path transcriptDir() {
        try {
            return Path.of(V03TranscriptIT.class.getResource("/zinit/v03").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            return Path.of("src", "test", "resources", "zinit", "v03");
        }
    }

    /** A newline-delimited JSON connection with a read timeout: it never blocks forever. */
    static final class Line implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;
        private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        Line(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }

        void send(String line) throws IOException {
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        /** The next line, or null when none arrives within timeoutMs. */
        String read(long timeoutMs) throws IOException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            while (true) {
                String line = takeLine();
                if (line != null) {
                    return line;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return null;
                }
                selector.select(left);
                selector.selectedKeys().clear();
                in.clear();
                int r = channel.read(in);
                if (r < 0) {
                    throw new IOException("connection closed by zinit-server");
                }
                bytes.write(in.array(), 0, in.position());
            }
        }

        private String takeLine() {
            byte[] b = bytes.toByteArray();
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '\n') {
                    String line = new String(b, 0, i, StandardCharsets.UTF_8);
                    bytes.reset();
                    bytes.write(b, i + 1, b.length - i - 1);
                    return line;
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            selector.close();
            channel.close();
        }
    }
}
