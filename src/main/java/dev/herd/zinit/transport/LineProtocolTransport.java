package dev.herd.zinit.transport;

import dev.herd.zinit.ZinitException;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One line out, one reply back, on a connection of its own: the protocol of Zinit releases before
 * April 2025, and the probe that tells dialects apart.
 *
 * <p>Each exchange runs on a small bounded pool, on a non-blocking channel whose every wait goes
 * through a {@link Selector} with the call's deadline, so a silent server or one that never closes
 * costs a {@code Timeout}, never a stuck thread. At most {@code concurrency} exchanges run and
 * {@code maxQueued} wait; more fail at once with {@code Overloaded}.
 */
public final class LineProtocolTransport implements AutoCloseable {
    /** A reply larger than this is not a Zinit reply; reading stops instead of filling the heap. */
    private static final int MAX_REPLY_BYTES = 16 << 20;

    /** Where a reply ends. */
    public enum Until {
        /** At the first newline, or when the server closes (a single JSON reply, a probe). */
        FIRST_LINE,
        /** When the server closes (a log snapshot: many raw lines). */
        CLOSE
    }

    private final Path socket;
    private final int maxQueued;
    private final ThreadPoolExecutor pool;

    public LineProtocolTransport(Path socket, int concurrency, int maxQueued) {
        this.socket = socket;
        this.maxQueued = maxQueued;
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(maxQueued), r -> {
                    Thread t = new Thread(r, "zinit-line-" + socket.getFileName());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    public Path socket() {
        return socket;
    }

    /** Sends {@code line} (a newline is added) and returns the reply text, without its final newline. */
    public Uni<String> exchange(String line, Duration timeout, Until until) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("one command is one line: " + line);
        }
        return Uni.createFrom().emitter(emitter -> {
            try {
                pool.execute(() -> {
                    try {
                        emitter.complete(run(line, timeout, until));
                    } catch (ZinitException e) {
                        emitter.fail(e);
                    } catch (IOException e) {
                        emitter.fail(new ZinitException.ZinitUnavailable("Zinit at " + socket + " broke off '" + verb(line)
                                + "': " + e.getMessage(), e));
                    }
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(pool.isShutdown()
                        ? new ZinitException.ZinitUnavailable("the Zinit client for " + socket + " is closed")
                        : new ZinitException.Overloaded(maxQueued));
            }
        });
    }

    private String run(String line, Duration timeout, Until until) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            connect(channel, selector, deadline, line, timeout);
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(selector, deadline, line, timeout);
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            return read(channel, selector, deadline, line, timeout, until);
        }
    }

    private void connect(SocketChannel channel, Selector selector, long deadline, String line, Duration timeout) throws IOException {
        try {
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                while (!channel.finishConnect()) {
                    await(selector, deadline, line, timeout);
                }
            }
        } catch (IOException e) {
            throw new ZinitException.ZinitUnavailable("cannot connect to Zinit at " + socket + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): is it running and is herd.zinit.socket right?", e);
        }
    }

    private String read(SocketChannel channel, Selector selector, long deadline, String line, Duration timeout, Until until)
            throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (true) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                return stripNewline(reply.toString(StandardCharsets.UTF_8));
            }
            if (n == 0) {
                await(selector, deadline, line, timeout);
                continue;
            }
            reply.write(in.array(), 0, n);
            if (until == Until.FIRST_LINE) {
                String text = reply.toString(StandardCharsets.UTF_8);
                int newline = text.indexOf('\n');
                if (newline >= 0) {
                    return stripNewline(text.substring(0, newline));
                }
            }
            if (reply.size() > MAX_REPLY_BYTES) {
                throw new ZinitException.ProtocolError("Zinit's reply to '" + verb(line) + "' exceeds " + MAX_REPLY_BYTES + " bytes",
                        reply.toString(StandardCharsets.UTF_8).substring(0, 300));
            }
        }
    }

    /** Waits for the registered readiness, or throws Timeout once the deadline has passed. */
    private static void await(Selector selector, long deadline, String line, Duration timeout) throws IOException {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0 || Thread.currentThread().isInterrupted()) {
            throw new ZinitException.Timeout(verb(line), timeout);
        }
        selector.select(remainingMs);
        selector.selectedKeys().clear();
    }

    private static String stripNewline(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The command without its arguments, for messages (a JSON probe is named by its size). */
    private static String verb(String line) {
        return line.startsWith("{") ? "a JSON-RPC probe" : line.split(" ", 2)[0];
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
