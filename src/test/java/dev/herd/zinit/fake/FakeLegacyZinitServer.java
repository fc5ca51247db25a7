package dev.herd.zinit.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A FAKE threefoldtech Zinit with the line protocol of releases before April 2025 (NOTES.md 1c):
 * one command line per connection, one {@code {"state":"ok"|"error","body":...}} reply, then it
 * closes the connection (the reply has no trailing newline: clients read to the end). {@code log
 * snapshot} writes the buffered lines raw, one per line, then closes. Commands: list, status,
 * start, stop, monitor, forget, kill NAME SIGNAL, log snapshot. Not faked: {@code log} (follow),
 * shutdown, reboot.
 *
 * <p>{@link #silenceAll()} makes it read the command and then neither answer nor hang up.
 */
public final class FakeLegacyZinitServer extends FakeSocketServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private volatile boolean silent;

    private FakeLegacyZinitServer(Duration respawnDelay) {
        super("herd-fake-legacy-", respawnDelay);
    }

    public static FakeLegacyZinitServer start(Duration respawnDelay) {
        FakeLegacyZinitServer fake = new FakeLegacyZinitServer(respawnDelay);
        fake.start();
        return fake;
    }

    @Override
    public FakeLegacyZinitServer silenceAll() {
        silent = true;
        return this;
    }

    @Override
    public FakeLegacyZinitServer answerNormally() {
        silent = false;
        return this;
    }

    @Override
    protected void serve(SocketChannel channel) throws IOException {
        InputStream in = Channels.newInputStream(channel);
        String line = readLine(in);
        transcript.received(line);
        if (silent) {
            while (in.read() >= 0) {
                // keep the connection open until the client gives up
            }
            return;
        }
        String reply = answer(line.strip().split("\\s+"));
        transcript.sent(reply);
        write(channel, reply);
    }

    private String answer(String[] words) {
        try {
            if (words.length == 2 && words[0].equals("log") && words[1].equals("snapshot")) {
                StringBuilder dump = new StringBuilder();
                supervisor.logs(Optional.empty()).forEach(l -> dump.append(l).append('\n'));
                return dump.toString();
            }
            return envelope("ok", body(words));
        } catch (FakeFailure f) {
            return envelope("error", JsonNodeFactory.instance.textNode(f.reason));
        } catch (IllegalArgumentException e) {
            return envelope("error", JsonNodeFactory.instance.textNode(
                    "unknown command '" + words[0] + "' or wrong arguments"));
        }
    }

    private JsonNode body(String[] words) {
        String verb = words[0];
        if (verb.equals("list") && words.length == 1) {
            return JSON.valueToTree(supervisor.list());
        }
        if (verb.equals("kill") && words.length == 3) {
            supervisor.kill(words[1], words[2]);
            return NullNode.getInstance();
        }
        if (words.length != 2) {
            throw new IllegalArgumentException();
        }
        String name = words[1];
        switch (verb) {
            case "status" -> {
                return supervisor.status(name);
            }
            case "start" -> supervisor.start(name);
            case "stop" -> supervisor.stop(name);
            case "monitor" -> supervisor.monitor(name);
            case "forget" -> supervisor.forget(name);
            default -> throw new IllegalArgumentException();
        }
        return NullNode.getInstance();
    }

    private static String envelope(String state, JsonNode body) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode().put("state", state);
        reply.set("body", body);
        return reply.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
