package dev.herd.zinit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.zinit.ZinitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How one connection reads replies (as bytes, split anywhere, several per read, longer than the
 * read buffer) and times calls out (one sweep armed for the earliest deadline), against a socket
 * the test answers by hand.
 */
class JsonRpcConnectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonRpcTransport.Options ONE_CONNECTION =
            new JsonRpcTransport.Options(1, 64, Duration.ofMillis(50), Duration.ofSeconds(1));

    private Path dir;
    private ServerSocketChannel server;
    private SocketChannel accepted;
    private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
    private JsonRpcTransport transport;

    @BeforeEach
    void listen() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "herd-rpc-");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        transport = new JsonRpcTransport(dir.resolve("s.sock"), ONE_CONNECTION);
    }

    @AfterEach
    void close() throws IOException {
        transport.close();
        if (accepted != null) {
            accepted.close();
        }
        server.close();
        Files.deleteIfExists(dir.resolve("s.sock"));
        Files.deleteIfExists(dir);
    }

    /** Sends a call, and on the first one accepts the connection and starts reading requests. */
    private CompletableFuture<JsonNode> call(String method, Duration timeout) throws Exception {
        CompletableFuture<JsonNode> result = transport.call(method, null, timeout).subscribeAsCompletionStage();
        if (accepted == null) {
            accepted = server.accept();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(accepted), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        requests.add(JSON.readTree(line));
                    }
                } catch (IOException ignored) {
                    // closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
        return result;
    }

    private long nextRequestId() throws InterruptedException {
        JsonNode request = requests.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request.get("id").asLong();
    }

    private void send(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            accepted.write(bytes);
        }
    }

    @Test
    void repliesSplitAnywhereBatchedOrLongerThanTheBufferAreEachMatchedToTheirCall() throws Exception {
        Duration t = Duration.ofSeconds(5);
        CompletableFuture<JsonNode> a = call("a", t);
        long idA = nextRequestId();
        CompletableFuture<JsonNode> b = call("b", t);
        long idB = nextRequestId();
        CompletableFuture<JsonNode> c = call("c", t);
        long idC = nextRequestId();
        String big = "x".repeat(300_000) + "é";

        // b's reply in two pieces, then a blank line, a's reply (CRLF) and the start of c's in one write.
        String replyB = "{\"jsonrpc\":\"2.0\",\"id\":" + idB + ",\"result\":\"" + big + "\"}\n";
        send(replyB.substring(0, 70_000));
        Thread.sleep(50);
        send(replyB.substring(70_000));
        String replyC = "{\"jsonrpc\":\"2.0\",\"id\":" + idC + ",\"error\":{\"code\":-32000,\"message\":\"nope\"}}\n";
        send("\n{\"jsonrpc\":\"2.0\",\"id\":" + idA + ",\"result\":{\"ok\":true}}\r\n" + replyC.substring(0, 20));
        Thread.sleep(50);
        send(replyC.substring(20));

        assertThat(b.get(5, TimeUnit.SECONDS).asText()).isEqualTo(big);
        assertThat(a.get(5, TimeUnit.SECONDS).path("ok").asBoolean()).isTrue();
        assertThatThrownBy(() -> c.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcErrorException.class)
                .cause().satisfies(e -> {
                    RpcError error = ((RpcErrorException) e).error();
                    assertThat(error.code()).isEqualTo(-32000);
                    assertThat(error.raw()).isEqualTo(replyC.strip());
                });
    }

    @Test
    void eachCallTimesOutAtItsOwnDeadlineEvenWhenAnEarlierOneComesLater() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<JsonNode> medium = call("medium", Duration.ofMillis(1500));
        CompletableFuture<JsonNode> patient = call("patient", Duration.ofSeconds(20));
        CompletableFuture<JsonNode> impatient = call("impatient", Duration.ofMillis(100)); // before the armed sweep
        nextRequestId();
        long patientId = nextRequestId();
        nextRequestId();

        assertThatThrownBy(() -> impatient.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ZinitException.Timeout.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(medium).as("a later deadline is not swept early").isNotDone();
        assertThatThrownBy(() -> medium.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ZinitException.Timeout.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));

        // The connection stays: the patient call still waits, its answer lands, and new calls work.
        assertThat(patient).isNotDone();
        send("{\"jsonrpc\":\"2.0\",\"id\":" + patientId + ",\"result\":42}\n");
        assertThat(patient.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(42);
        CompletableFuture<JsonNode> after = call("after", Duration.ofSeconds(5));
        send("{\"jsonrpc\":\"2.0\",\"id\":" + nextRequestId() + ",\"result\":7}\n");
        assertThat(after.get(5, TimeUnit.SECONDS).asInt()).isEqualTo(7);
    }

    @Test
    void aDecoderReadsTheResultInEitherFieldOrderAndAWrongShapeFailsOnlyItsCall() throws Exception {
        ResultDecoder<Integer> arrayLength = parser -> {
            if (parser.currentToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                throw com.fasterxml.jackson.databind.JsonMappingException.from(parser, "expected an array");
            }
            int n = 0;
            while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                parser.skipChildren();
                n++;
            }
            return n;
        };
        Duration t = Duration.ofSeconds(5);
        CompletableFuture<JsonNode> first = call("first", t); // opens the connection
        long idFirst = nextRequestId();
        CompletableFuture<Integer> idFirstOrder = transport.call("typed", null, t, arrayLength).subscribeAsCompletionStage().toCompletableFuture();
        long idTyped = nextRequestId();
        CompletableFuture<Integer> resultFirstOrder = transport.call("typed", null, t, arrayLength).subscribeAsCompletionStage().toCompletableFuture();
        long idReversed = nextRequestId();
        CompletableFuture<Integer> wrongShape = transport.call("typed", null, t, arrayLength).subscribeAsCompletionStage().toCompletableFuture();
        long idWrong = nextRequestId();

        send("{\"jsonrpc\":\"2.0\",\"id\":" + idTyped + ",\"result\":[1,{\"a\":[2]},3]}\n");
        send("{\"result\":[[],[]],\"jsonrpc\":\"2.0\",\"id\":" + idReversed + "}\n");
        String wrong = "{\"jsonrpc\":\"2.0\",\"id\":" + idWrong + ",\"result\":{\"not\":\"a list\"}}";
        send(wrong + "\n");
        send("{\"jsonrpc\":\"2.0\",\"id\":" + idFirst + ",\"result\":true}\n");

        assertThat(idFirstOrder.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(resultFirstOrder.get(5, TimeUnit.SECONDS)).as("result before id: decoded from a buffered tree").isEqualTo(2);
        assertThatThrownBy(() -> wrongShape.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ZinitException.ProtocolError.class)
                .cause().hasMessageContaining("expected an array");
        assertThat(first.get(5, TimeUnit.SECONDS).asBoolean()).as("the connection stays usable").isTrue();
    }
}
