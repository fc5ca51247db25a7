package dev.herd.bench;

import dev.herd.testing.PrivateZinit;
import dev.herd.zinit.Command;
import dev.herd.zinit.RestartPolicy;
import dev.herd.zinit.ServiceSpec;
import dev.herd.zinit.ServiceState;
import dev.herd.zinit.ServiceStatus;
import dev.herd.zinit.ZinitClient;
import dev.herd.zinit.ZinitClients;
import dev.herd.zinit.transport.JsonRpcTransport;
import io.smallrye.mutiny.Multi;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Calls per second and p50/p99 latency of {@code status} and {@code list} against a private, real
 * zinit-server holding 1, 100 and 1000 services ({@code sleep 100000} each), for these callers,
 * all measured in the same run:
 * <ul>
 *   <li><b>raw socket</b>: one JDK {@link SocketChannel} per caller thread, a prepared request line
 *       written, the reply read up to its newline, nothing parsed: the physical limit of this socket
 *       and server;</li>
 *   <li><b>raw + reader thread</b> (one caller only): the same, but a second thread reads the reply
 *       and wakes the caller, as any non-blocking client must: the cost of that hand-off alone;</li>
 *   <li><b>Herd client</b>: {@link ZinitClient} (v0.3 dialect, Herd's default call timeout and
 *       transport options), one caller, then several caller threads sharing the one client;</li>
 *   <li><b>zinit CLI</b>: one process per call ({@code zinit status NAME}, {@code zinit list}).</li>
 * </ul>
 * Herd's {@code list} is one {@code service.list_full}, so the raw loop sends that line; its
 * {@code status} is {@code service.status}. Figures are reported as ratios against the raw socket.
 * The socket contenders run in turns of one slice each, the order rotating every round, so that a
 * change in machine load hits them alike. Not a test: run it with {@code bin/bench zinit}.
 *
 * <p>Options ({@code --name=value}): {@code sizes} (1,100,1000), {@code concurrency} (8),
 * {@code connections} in Herd's pool (4, herd.zinit.connections' default), {@code warmup-ms} per
 * contender and case (400), {@code slice-ms} (300), {@code rounds} (6), {@code cli-ms} per case
 * (1500), {@code cli-min} calls per case (5).
 */
public final class ZinitClientBenchmark {
    /** herd.zinit.call-timeout's default, like the transport options. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final String PREFIX = "bench-";

    private final Options options;
    private final List<Row> rows = new ArrayList<>();
    private PrivateZinit zinit;
    private ZinitClient client;
    private Path cli;
    private int created;
    private volatile boolean cleanedUp;

    record Options(int[] sizes, int concurrency, int connections, long warmupMs, long sliceMs, int rounds, long cliMs, int cliMin) {
        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (String arg : args) {
                String[] kv = arg.replaceFirst("^--", "").split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("options are --name=value, not " + arg);
                }
                given.put(kv[0], kv[1]);
            }
            Options o = new Options(
                    Arrays.stream(given.getOrDefault("sizes", "1,100,1000").split(",")).mapToInt(Integer::parseInt).sorted().toArray(),
                    Integer.parseInt(given.getOrDefault("concurrency", "8")),
                    Integer.parseInt(given.getOrDefault("connections", Integer.toString(JsonRpcTransport.Options.defaults().connections()))),
                    Long.parseLong(given.getOrDefault("warmup-ms", "400")),
                    Long.parseLong(given.getOrDefault("slice-ms", "300")),
                    Integer.parseInt(given.getOrDefault("rounds", "6")),
                    Long.parseLong(given.getOrDefault("cli-ms", "1500")),
                    Integer.parseInt(given.getOrDefault("cli-min", "5")));
            given.keySet().removeAll(List.of("sizes", "concurrency", "connections", "warmup-ms", "slice-ms", "rounds", "cli-ms", "cli-min"));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + given.keySet()
                        + " (known: sizes, concurrency, connections, warmup-ms, slice-ms, rounds, cli-ms, cli-min)");
            }
            return o;
        }

        JsonRpcTransport.Options transport() {
            JsonRpcTransport.Options d = JsonRpcTransport.Options.defaults();
            return new JsonRpcTransport.Options(connections, d.maxInFlight(), d.reconnectInitial(), d.reconnectMax());
        }
    }

    /** One measured line of the table. */
    record Row(int services, String call, String caller, int callers, Samples samples, Samples raw) {
    }

    private ZinitClientBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ZinitClientBenchmark bench = new ZinitClientBenchmark(Options.parse(args));
        Thread hook = new Thread(bench::cleanUp, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = 0;
        try {
            bench.run();
        } catch (Exception | AssertionError e) {
            if (bench.cleanedUp) {
                log("interrupted");
            } else {
                e.printStackTrace();
            }
            code = 1;
        } finally {
            bench.cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running or ran; clean-up happens once either way
            }
        }
        System.exit(code);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        cli = executable("zinit");
        zinit = PrivateZinit.start();
        client = ZinitClients.connect(zinit.socket(), "v0.3", CALL_TIMEOUT, options.transport());
        String version = client.ping().await().atMost(CALL_TIMEOUT);
        log("zinit-server %s on %s; options %s", version, zinit.socket(), describe(options));
        log("machine: %s", machine());

        for (int size : options.sizes()) {
            grow(size);
            String one = name(size - 1);
            byte[] statusLine = request("service.status", "{\"name\":\"" + one + "\"}");
            byte[] listLine = request("service.list_full", null);
            checkReplies(size, one, statusLine, listLine);
            if (size == options.sizes()[0]) {
                warmUpJit(one, statusLine, listLine);
            }
            for (int callers : new int[] {1, options.concurrency()}) {
                compare(size, "status", callers, statusLine, () -> client.status(one).await().atMost(CALL_TIMEOUT));
                compare(size, "list", callers, listLine, () -> client.list().await().atMost(CALL_TIMEOUT));
            }
            rows.add(new Row(size, "status", CLI, 1, cliLoop(List.of("status", one)), rawOf(size, "status")));
            rows.add(new Row(size, "list", CLI, 1, cliLoop(List.of("list")), rawOf(size, "list")));
            log("done with %d services", size);
        }
        log("measured in %.0f s; load average now %s", (System.nanoTime() - started) / 1e9, loadAverage());
        System.out.println();
        System.out.println(table());
        System.out.println(verdict());
    }

    // ---------------------------------------------------------------- services

    /** Creates services up to {@code size}, a window of creates in flight, and waits until all run. */
    private void grow(int size) {
        if (size <= created) {
            return;
        }
        long t0 = System.nanoTime();
        List<ServiceSpec> specs = IntStream.range(created, size)
                .mapToObj(i -> ServiceSpec.of(name(i), new Command.Argv(List.of("sleep", "100000")))
                        .withRestart(RestartPolicy.NEVER))
                .toList();
        Multi.createFrom().iterable(specs)
                .onItem().transformToUni(spec -> client.create(spec)).merge(16)
                .collect().last()
                .await().atMost(Duration.ofMinutes(2));
        created = size;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<ServiceStatus> all = client.list().await().atMost(CALL_TIMEOUT);
            long running = all.stream().filter(s -> s.state() == ServiceState.RUNNING && s.pid() > 0).count();
            if (all.size() == size && running == size) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(running + " of " + size + " services running after 60 s");
            }
            sleep(100);
        }
        log("%d services running (created in %.1f s)", size, (System.nanoTime() - t0) / 1e9);
    }

    private static String name(int i) {
        return PREFIX + String.format(Locale.ROOT, "%04d", i);
    }

    /** Every caller sees the same server state before anything is timed. */
    private void checkReplies(int size, String one, byte[] statusLine, byte[] listLine) throws IOException, InterruptedException {
        try (RawConnection raw = new RawConnection(zinit.socket())) {
            String status = raw.callText(statusLine);
            String list = raw.callText(listLine);
            require(status.contains("\"result\"") && status.contains("\"running\""), "raw status: " + status);
            require(list.contains("\"result\"") && list.split("\"name\"", -1).length - 1 == size, "raw list has not " + size + " entries");
        }
        require(client.status(one).await().atMost(CALL_TIMEOUT).state() == ServiceState.RUNNING, "Herd status");
        require(client.list().await().atMost(CALL_TIMEOUT).size() == size, "Herd list size");
        String cliStatus = runCli(List.of("status", one), true);
        require(cliStatus.contains(one) && cliStatus.contains("Running"), "zinit status printed: " + cliStatus);
        String cliList = runCli(List.of("list"), true);
        require(cliList.lines().filter(l -> l.contains(PREFIX)).count() == size, "zinit list has not " + size + " lines");
    }

    // ---------------------------------------------------------------- measuring

    /** A blocking call made by one caller. */
    @FunctionalInterface
    interface Call {
        void call() throws Exception;
    }

    /** Makes the {@link Call} one caller thread makes. */
    @FunctionalInterface
    interface Caller {
        Call call();
    }

    /** Latencies of one case, in nanoseconds, and the calls per second of each slice it was measured in. */
    static final class Samples {
        private long[] nanos = new long[1024];
        private int count;
        private final List<Double> sliceRates = new ArrayList<>();

        synchronized void addAll(long[] more, int n) {
            if (count + n > nanos.length) {
                nanos = Arrays.copyOf(nanos, Math.max(nanos.length * 2, count + n));
            }
            System.arraycopy(more, 0, nanos, count, n);
            count += n;
        }

        synchronized void endSlice(int calls, long wallNanos) {
            sliceRates.add(calls / (wallNanos / 1e9));
        }

        synchronized int count() {
            return count;
        }

        /**
         * The median over slices of calls per second: a slice in which the machine's other work
         * took the CPU away counts as one slice, not in proportion to how long it stalled.
         */
        synchronized double callsPerSecond() {
            double[] rates = sliceRates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = rates.length;
            return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
        }

        /** Nearest-rank percentile, in microseconds. */
        double percentileMicros(double p) {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * count);
            return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1000.0;
        }
    }

    /** Per-thread latency buffer, so that recording takes no lock. */
    private static final class Recorder {
        long[] buf = new long[1 << 16];
        int n;

        void add(long ns) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = ns;
        }
    }

    /**
     * Runs {@code callers} threads, each calling in a loop for {@code millis}; adds the latencies and
     * the wall time to {@code into} (null to discard them: a warm-up).
     */
    private static void drive(List<Caller> callers, long millis, Samples into) throws InterruptedException {
        int k = callers.size();
        CountDownLatch ready = new CountDownLatch(k);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(k);
        long[] ends = new long[k];
        Throwable[] failures = new Throwable[k];
        long[] startHolder = new long[1];
        for (int t = 0; t < k; t++) {
            int index = t;
            Call call = callers.get(t).call();
            Thread thread = new Thread(() -> {
                Recorder rec = new Recorder();
                try {
                    ready.countDown();
                    go.await();
                    long deadline = startHolder[0] + TimeUnit.MILLISECONDS.toNanos(millis);
                    long now = System.nanoTime();
                    while (now < deadline) {
                        call.call();
                        long after = System.nanoTime();
                        rec.add(after - now);
                        now = after;
                    }
                    ends[index] = now;
                    if (into != null) {
                        into.addAll(rec.buf, rec.n);
                    }
                } catch (Throwable e) {
                    failures[index] = e;
                } finally {
                    done.countDown();
                }
            }, "bench-caller-" + t);
            thread.start();
        }
        int before = into == null ? 0 : into.count();
        ready.await();
        startHolder[0] = System.nanoTime();
        go.countDown();
        done.await();
        for (Throwable f : failures) {
            if (f != null) {
                throw new IllegalStateException("a benchmark call failed: " + f, f);
            }
        }
        if (into != null) {
            into.endSlice(into.count() - before, Arrays.stream(ends).max().orElseThrow() - startHolder[0]);
        }
    }

    private final List<Row> rawRows = new ArrayList<>();

    private static final String RAW = "raw socket";
    private static final String RAW_HANDOFF = "raw + reader thread";
    private static final String HERD = "Herd client";
    private static final String CLI = "zinit CLI";

    /**
     * Raw, Herd and (for one caller) raw with a reader thread: the same call, the same number of
     * callers, each warmed up, then in turns of one slice each, the order rotating every round.
     */
    private void compare(int size, String callName, int callers, byte[] rawLine, Call herdCall) throws Exception {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Map<String, List<Caller>> contenders = new LinkedHashMap<>();
            List<Caller> raw = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                RawConnection connection = new RawConnection(zinit.socket());
                opened.add(connection);
                raw.add(() -> () -> connection.call(rawLine));
            }
            contenders.put(RAW, raw);
            if (callers == 1) {
                HandoffConnection handoff = new HandoffConnection(zinit.socket());
                opened.add(handoff);
                contenders.put(RAW_HANDOFF, List.of(() -> () -> handoff.call(rawLine)));
            }
            contenders.put(HERD, IntStream.range(0, callers).mapToObj(i -> (Caller) () -> herdCall).toList());

            List<String> names = List.copyOf(contenders.keySet());
            Map<String, Samples> samples = new LinkedHashMap<>();
            for (String name : names) {
                drive(contenders.get(name), options.warmupMs(), null);
                samples.put(name, new Samples());
            }
            for (int round = 0; round < options.rounds(); round++) {
                for (int j = 0; j < names.size(); j++) {
                    String name = names.get((round + j) % names.size());
                    drive(contenders.get(name), options.sliceMs(), samples.get(name));
                }
            }
            Samples rawSamples = samples.get(RAW);
            for (String name : names) {
                Row row = new Row(size, callName, name, callers, samples.get(name), rawSamples);
                rows.add(row);
                if (name.equals(RAW)) {
                    rawRows.add(row);
                }
            }
        } finally {
            for (AutoCloseable c : opened) {
                c.close();
            }
        }
    }

    private Samples rawOf(int size, String callName) {
        return rawRows.stream().filter(r -> r.services() == size && r.call().equals(callName) && r.callers() == 1)
                .findFirst().orElseThrow().samples();
    }

    /** The JIT compiles the client's paths before the first timed slice. */
    private void warmUpJit(String one, byte[] statusLine, byte[] listLine) throws Exception {
        long t0 = System.nanoTime();
        try (RawConnection raw = new RawConnection(zinit.socket())) {
            List<Caller> rawStatus = List.of(() -> () -> raw.call(statusLine));
            List<Caller> rawList = List.of(() -> () -> raw.call(listLine));
            List<Caller> herdStatus = List.of(() -> () -> client.status(one).await().atMost(CALL_TIMEOUT));
            List<Caller> herdList = List.of(() -> () -> client.list().await().atMost(CALL_TIMEOUT));
            for (int i = 0; i < 3; i++) {
                drive(rawStatus, 200, null);
                drive(herdStatus, 300, null);
                drive(rawList, 200, null);
                drive(herdList, 300, null);
            }
        }
        log("JIT warm-up %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    /** The CLI, one process per call, sequentially, for cli-ms and at least cli-min calls. */
    private Samples cliLoop(List<String> args) throws Exception {
        runCli(args, false); // page cache and dynamic linker warm
        runCli(args, false);
        Samples samples = new Samples();
        Recorder rec = new Recorder();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(options.cliMs());
        long now = start;
        while (now < deadline || rec.n < options.cliMin()) {
            runCli(args, false);
            long after = System.nanoTime();
            rec.add(after - now);
            now = after;
        }
        samples.addAll(rec.buf, rec.n);
        samples.endSlice(rec.n, now - start);
        return samples;
    }

    private String runCli(List<String> args, boolean capture) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(cli.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", zinit.cliHome().toString());
        if (!capture) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        String out = capture ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("zinit " + args + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("zinit " + args + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    // ---------------------------------------------------------------- raw socket

    /** The physical limit: one blocking channel, a prepared request, read until the newline. */
    static final class RawConnection implements AutoCloseable {
        private final SocketChannel channel;
        private ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
        private final ByteBuffer out = ByteBuffer.allocateDirect(4096);

        RawConnection(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        }

        /** Sends one request line and reads one reply line; returns its length. */
        int call(byte[] requestLine) throws IOException {
            out.clear();
            out.put(requestLine).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            in.clear();
            int scanned = 0;
            while (true) {
                if (!in.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocateDirect(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                if (channel.read(in) < 0) {
                    throw new IOException("zinit-server closed the connection");
                }
                int end = in.position();
                for (int i = scanned; i < end; i++) {
                    if (in.get(i) == '\n') {
                        return i + 1;
                    }
                }
                scanned = end;
            }
        }

        String callText(byte[] requestLine) throws IOException {
            int n = call(requestLine);
            byte[] bytes = new byte[n];
            in.get(0, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * The raw loop plus the one thing any non-blocking client needs: a reader thread that takes the
     * reply off the socket and wakes the caller (through a CompletableFuture). Nothing is parsed.
     * The gap between this and {@link RawConnection} is the cost of that thread hand-off alone.
     */
    static final class HandoffConnection implements AutoCloseable {
        private final SocketChannel channel;
        private final ByteBuffer out = ByteBuffer.allocateDirect(4096);
        private final Queue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();

        HandoffConnection(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            Thread reader = new Thread(this::readLoop, "bench-raw-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void call(byte[] requestLine) throws Exception {
            CompletableFuture<Void> reply = new CompletableFuture<>();
            waiting.add(reply);
            out.clear();
            out.put(requestLine).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            reply.get(30, TimeUnit.SECONDS);
        }

        private void readLoop() {
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
            try {
                while (true) {
                    if (!in.hasRemaining()) {
                        ByteBuffer bigger = ByteBuffer.allocateDirect(in.capacity() * 2);
                        in.flip();
                        bigger.put(in);
                        in = bigger;
                    }
                    int scanFrom = in.position();
                    if (channel.read(in) < 0) {
                        return;
                    }
                    int end = in.position();
                    int lineStart = 0;
                    for (int i = scanFrom; i < end; i++) {
                        if (in.get(i) == '\n') {
                            waiting.remove().complete(null);
                            lineStart = i + 1;
                        }
                    }
                    if (lineStart > 0) {
                        in.position(lineStart).limit(end);
                        in.compact();
                    }
                }
            } catch (IOException | RuntimeException e) {
                waiting.forEach(w -> w.completeExceptionally(e));
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** The exact line Herd's transport sends for this call (but a fixed id: the server ignores it). */
    private static byte[] request(String method, String params) {
        String line = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- report

    private String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| services | call | caller | callers | calls/s | p50 µs | p99 µs | raw÷caller calls/s | caller÷raw p50 | samples |\n");
        sb.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Samples s = r.samples();
            boolean isRaw = r.samples() == r.raw();
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %s | %s | %s | %s | %s | %d |%n",
                    r.services(), r.call(), r.caller(), r.callers(),
                    number(s.callsPerSecond()), micros(s.percentileMicros(50)), micros(s.percentileMicros(99)),
                    isRaw ? "1.00" : String.format(Locale.ROOT, "%.2f", r.raw().callsPerSecond() / s.callsPerSecond()),
                    isRaw ? "1.00" : String.format(Locale.ROOT, "%.2f", s.percentileMicros(50) / r.raw().percentileMicros(50)),
                    s.count()));
        }
        return sb.toString();
    }

    private String verdict() {
        StringBuilder sb = new StringBuilder("Goal: the Herd client within 1.5x of the raw socket"
                + " (raw÷Herd calls/s <= 1.50; the p50 ratio is shown beside it)\n");
        for (Row r : rows) {
            if (r.caller().equals(HERD)) {
                double ratio = r.raw().callsPerSecond() / r.samples().callsPerSecond();
                double p50 = r.samples().percentileMicros(50) / r.raw().percentileMicros(50);
                String floor = rows.stream()
                        .filter(h -> h.caller().equals(RAW_HANDOFF) && h.services() == r.services() && h.call().equals(r.call())
                                && h.callers() == r.callers())
                        .findFirst()
                        .map(h -> String.format(Locale.ROOT, "  (reader-thread hand-off alone: %.2fx, p50 %.2fx)",
                                r.raw().callsPerSecond() / h.samples().callsPerSecond(),
                                h.samples().percentileMicros(50) / r.raw().percentileMicros(50)))
                        .orElse("");
                sb.append(String.format(Locale.ROOT, "  %-6s %4d services, %d caller%s: %.2fx, p50 %.2fx  %-7s%s%n", r.call(),
                        r.services(), r.callers(), r.callers() == 1 ? " " : "s", ratio, p50, ratio <= 1.5 ? "met" : "NOT met", floor));
            }
        }
        return sb.toString();
    }

    private static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String micros(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String describe(Options o) {
        return String.format(Locale.ROOT, "sizes=%s concurrency=%d connections=%d warmup-ms=%d slice-ms=%d rounds=%d cli-ms=%d cli-min=%d",
                Arrays.stream(o.sizes()).mapToObj(Integer::toString).collect(Collectors.joining(",")),
                o.concurrency(), o.connections(), o.warmupMs(), o.sliceMs(), o.rounds(), o.cliMs(), o.cliMin());
    }

    /** What the figures depend on: cores, CPU, memory, JVM, and how busy the machine already is. */
    private static String machine() {
        String cpu = "?";
        String memory = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> String.format(Locale.ROOT, "%.1f GiB",
                            Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("?");
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the question marks
        }
        return String.format(Locale.ROOT, "%d cores, %s, %s, Java %s (%s), load average %s",
                Runtime.getRuntime().availableProcessors(), cpu, memory, System.getProperty("java.version"),
                System.getProperty("java.vm.name"), loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- clean-up

    /**
     * Stops every service first (a shutdown with 1000 running services takes a 100 ms poll each),
     * then stops the server with {@code zinit shutdown}, checks that no process of any service
     * group is left, and removes the server's directory. Runs once, also from the shutdown hook.
     */
    private synchronized void cleanUp() {
        if (cleanedUp || zinit == null) {
            return;
        }
        cleanedUp = true;
        List<Long> groups = new ArrayList<>();
        try {
            if (client != null) {
                List<ServiceStatus> all = client.list().await().atMost(CALL_TIMEOUT);
                all.stream().filter(s -> s.pid() > 0).forEach(s -> groups.add((long) s.pid()));
                Multi.createFrom().iterable(all)
                        .onItem().transformToUni(s -> client.stop(s.name())).merge(16)
                        .collect().last()
                        .await().atMost(Duration.ofMinutes(2));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline && client.list().await().atMost(CALL_TIMEOUT).stream()
                        .anyMatch(s -> s.state() == ServiceState.RUNNING || s.state() == ServiceState.STOPPING)) {
                    sleep(100);
                }
            }
        } catch (RuntimeException e) {
            log("stopping the services failed (%s); zinit shutdown stops them", e);
        } finally {
            if (client != null) {
                client.close();
            }
            zinit.stop();
        }
        List<Long> left = survivors(groups);
        if (!left.isEmpty()) {
            log("%d processes of the services survived; killing them:%n%s", left.size(), ps(left));
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        } else {
            log("clean-up: zinit-server stopped, no process left in the %d service groups", groups.size());
        }
        deleteTree(zinit.socket().getParent());
    }

    /** Live processes (not zombies) in the given process groups, by {@code pgrep -g}. */
    private static List<Long> survivors(List<Long> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        try {
            Process p = new ProcessBuilder("pgrep", "-g", groups.stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().filter(l -> !l.isBlank()).map(String::strip).map(Long::parseLong)
                    .filter(ZinitClientBenchmark::isLive).toList();
        } catch (IOException | InterruptedException e) {
            log("cannot check for surviving processes: %s", e);
            return List.of();
        }
    }

    /**
     * False for a process that is gone or a zombie: a service's {@code sleep} whose {@code sh}
     * parent died first is re-parented to pid 1, which on some machines reaps it only later.
     */
    private static boolean isLive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String ps(List<Long> pids) {
        try {
            Process p = new ProcessBuilder("ps", "-o", "pid,ppid,pgid,stat,args", "-p",
                    pids.stream().map(String::valueOf).collect(Collectors.joining(","))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return pids.toString();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log("cannot remove %s: %s", dir, e);
        }
    }

    // ---------------------------------------------------------------- small things

    private static Path executable(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add(System.getProperty("user.home") + "/.cargo/bin");
        return dirs.stream().map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(program + " is not installed: run bin/install"));
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("unexpected reply before measuring: " + what);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "bench: " + format + "%n", args);
    }
}
