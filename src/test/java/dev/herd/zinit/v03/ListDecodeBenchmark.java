package dev.herd.zinit.v03;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code bin/bench decode}: the reader thread's work for one {@code service.list_full} reply of
 * 1, 100 and 1000 services, decoded token by token ({@link ServiceListDecoder}, what Herd does)
 * against the baseline of a JSON tree first and then a walk of the tree into the same records
 * (what Herd did before). Both run in this one JVM on the same bytes, alternated, and are timed in
 * thread CPU time, so the figures hold on a machine busy with other work. Not a test: a ratio is
 * printed, nothing asserted.
 */
public final class ListDecodeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ListDecodeBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("| services | reply bytes | tree then walk, µs CPU | token by token, µs CPU | tree ÷ tokens |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int size : new int[] {1, 100, 1000}) {
            byte[] reply = reply(size);
            int rounds = Math.max(200, 2_000_000 / reply.length);
            for (int warm = 0; warm < 20; warm++) { // JIT warm-up of both paths
                timeTree(reply, rounds, cpu);
                timeTokens(reply, rounds, cpu);
            }
            long tree = Long.MAX_VALUE;
            long tokens = Long.MAX_VALUE;
            for (int round = 0; round < 7; round++) { // best of 7: the least disturbed run of each
                tree = Math.min(tree, timeTree(reply, rounds, cpu));
                tokens = Math.min(tokens, timeTokens(reply, rounds, cpu));
            }
            System.out.printf("| %d | %,d | %.1f | %.1f | %.2f |%n", size, reply.length, tree / 1e3, tokens / 1e3, (double) tree / tokens);
        }
    }

    /** A reply as zinit-server 0.3.9 writes it, mostly running services and a few of the other forms. */
    private static byte[] reply(int size) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            String state = switch (i % 50) {
                case 7 -> "{\"reason\":{\"code\":2,\"type\":\"exit_code\"},\"state\":\"failed\"}";
                case 13 -> "{\"exit_code\":0,\"state\":\"exited\"}";
                default -> "{\"pid\":" + (20_000 + i) + ",\"state\":\"running\"}";
            };
            out.append(i == 0 ? "" : ",").append("{\"is_target\":false,\"name\":\"pool-").append(i).append("\",\"state\":").append(state).append('}');
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** CPU nanoseconds per decode. */
    private static long timeTokens(byte[] reply, int rounds, ThreadMXBean cpu) throws IOException {
        long start = cpu.getCurrentThreadCpuTime();
        int sink = 0;
        for (int i = 0; i < rounds; i++) {
            try (JsonParser parser = JSON.createParser(reply)) {
                parser.nextToken();
                sink += ServiceListDecoder.INSTANCE.decode(parser).size();
            }
        }
        return check(sink, rounds, (cpu.getCurrentThreadCpuTime() - start) / rounds);
    }

    private static long timeTree(byte[] reply, int rounds, ThreadMXBean cpu) throws IOException {
        long start = cpu.getCurrentThreadCpuTime();
        int sink = 0;
        for (int i = 0; i < rounds; i++) {
            sink += walk(JSON.readTree(reply)).size();
        }
        return check(sink, rounds, (cpu.getCurrentThreadCpuTime() - start) / rounds);
    }

    /** The baseline: the tree walk Herd used before the streaming decoder. */
    private static List<ServiceStatus> walk(JsonNode result) {
        List<ServiceStatus> out = new ArrayList<>(result.size());
        for (JsonNode entry : result) {
            if (!entry.path("is_target").asBoolean(false)) {
                JsonNode tagged = entry.path("state");
                String raw = tagged.path("state").asText("");
                ServiceState state = ZinitV03Client.state(raw);
                OptionalInt exit = tagged.hasNonNull("exit_code") ? OptionalInt.of(tagged.get("exit_code").asInt())
                        : tagged.path("reason").hasNonNull("code") ? OptionalInt.of(tagged.path("reason").get("code").asInt())
                        : OptionalInt.empty();
                String error = tagged.has("reason") ? tagged.get("reason").toString() : "";
                out.add(new ServiceStatus(entry.path("name").asText(), state, raw, tagged.path("pid").asInt(0),
                        ZinitV03Client.targetOf(state), Map.of(), exit, error));
            }
        }
        return out;
    }

    private static long check(int sink, int rounds, long perCall) {
        if (sink % rounds != 0) {
            throw new IllegalStateException("decoded lists differ in size between rounds");
        }
        return perCall;
    }
}
