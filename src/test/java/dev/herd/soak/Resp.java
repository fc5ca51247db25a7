package dev.herd.soak;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking Redis client for the soak driver: one fresh connection per pipeline, so a
 * Redis restart never leaves it holding a dead connection, and a 5 s timeout on every read. It is
 * the "client that knows nothing of Herd" of docs/jobs.md.
 */
final class Resp {
    /** An error reply ({@code -ERR ...}). */
    record Error(String message) {
    }

    private final int port;

    Resp(int port) {
        this.port = port;
    }

    Object call(String... args) throws IOException {
        return pipeline(List.of(List.of(args))).get(0);
    }

    /** Sends every command, then reads every reply: bulk strings as String, arrays as List, nil as null. */
    List<Object> pipeline(List<List<String>> commands) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder();
            for (List<String> command : commands) {
                request.append('*').append(command.size()).append("\r\n");
                for (String arg : command) {
                    request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
                }
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<Object> replies = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                replies.add(read(in));
            }
            return replies;
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(length + 2);
                yield new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                yield count < 0 ? null : items;
            }
            case -1 -> throw new IOException("Redis closed the connection");
            default -> throw new IOException("unexpected Redis reply type " + (char) type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("Redis closed the connection");
            }
            b.append((char) c);
        }
        in.read(); // \n
        return b.toString();
    }
}
