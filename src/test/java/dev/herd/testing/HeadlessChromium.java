package dev.herd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools Protocol with the JDK's own WebSocket
 * client: no WebDriver and no protocol library, so nothing to keep in step with Chromium's version
 * (the few commands used here are the protocol's stable core). The browser runs under the rig's
 * watchdog with a fresh profile, so it ends with the test JVM. Console errors, uncaught exceptions
 * and failed loads are collected as {@link #problems()}.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagedProcess process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private HeadlessChromium(ManagedProcess process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts a browser with one blank page of {@code width} × {@code height} CSS pixels. */
    public static HeadlessChromium start(int width, int height) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is not installed: run bin/install (it installs Debian's chromium)");
        }
        Path profile = Files.createTempDirectory("herd-chromium-");
        ManagedProcess process = ManagedProcess.start("chromium", profile.resolve("chromium.log"), List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank"));
        try {
            // Chromium writes the port it chose into the profile once it listens
            Path portFile = profile.resolve("DevToolsActivePort");
            process.awaitReady(Duration.ofSeconds(60), () -> Files.exists(portFile) && lines(portFile).size() >= 2);
            int port = Integer.parseInt(lines(portFile).get(0).trim());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String pageSocket = pageSocket(http, port);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(pageSocket), listener).get(10, TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
            listener.browser = browser;
            browser.call("Runtime.enable", Map.of());
            browser.call("Log.enable", Map.of());
            browser.call("Page.enable", Map.of());
            browser.call("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            return browser;
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            process.close();
            deleteTree(profile);
            throw new IllegalStateException("headless Chromium did not start: " + e + "\n" + process.tail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
            deleteTree(profile);
            throw new IllegalStateException(e);
        }
    }

    private static String pageSocket(HttpClient http, int port) throws IOException, InterruptedException {
        HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(Duration.ofSeconds(10)).build();
        for (JsonNode target : JSON.readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body())) {
            if ("page".equals(target.path("type").asText())) {
                return target.path("webSocketDebuggerUrl").asText();
            }
        }
        throw new IOException("Chromium shows no page target on port " + port);
    }

    /** Loads {@code url} and waits until the document has loaded. */
    public void open(String url) {
        JsonNode result = call("Page.navigate", Map.of("url", url));
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("cannot open " + url + ": " + result.get("errorText").asText());
        }
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (!"complete".equals(evaluate("document.readyState").asText())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not finish loading within " + CALL_TIMEOUT);
            }
            ManagedProcess.sleep(50);
        }
    }

    /** The value of a JavaScript expression in the page (a promise is awaited). */
    public JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.hasNonNull("exceptionDetails")) {
            throw new IllegalStateException("the page threw evaluating " + expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** The text of the first element matching a CSS selector, or empty when there is none. */
    public String text(String selector) {
        JsonNode v = evaluate("(() => { const e = document.querySelector(" + JSON.valueToTree(selector)
                + "); return e ? e.textContent : ''; })()");
        return v.asText();
    }

    /** A PNG of the whole page (not only the window), at its natural size. */
    public byte[] screenshot() {
        JsonNode metrics = call("Page.getLayoutMetrics", Map.of());
        JsonNode size = metrics.path("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.path("width").asDouble(),
                "height", size.path("height").asDouble(), "scale", 1);
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        return Base64.getDecoder().decode(shot.path("data").asText());
    }

    /** Console errors, uncaught exceptions and failed loads seen so far, one line each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Sends one protocol command and waits for its result. */
    public JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode answer = reply.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (answer.has("error")) {
                throw new IllegalStateException(method + " failed: " + answer.get("error"));
            }
            return answer.path("result");
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer within " + CALL_TIMEOUT + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pending.remove(id);
        }
    }

    private void received(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        JsonNode p = message.path("params");
        switch (message.path("method").asText()) {
            case "Runtime.exceptionThrown" -> problems.add("uncaught: " + p.path("exceptionDetails").path("exception")
                    .path("description").asText(p.path("exceptionDetails").path("text").asText()));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(p.path("type").asText()) || "assert".equals(p.path("type").asText())) {
                    problems.add("console." + p.path("type").asText() + ": " + p.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if ("error".equals(p.path("entry").path("level").asText())) {
                    problems.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                }
            }
            default -> {
                // other events are not needed
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the browser is ended below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.close();
        deleteTree(profile);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    /** Collects text frames (a large reply such as a screenshot arrives in parts) and hands over whole messages. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final List<JsonNode> early = new ArrayList<>();
        private volatile HeadlessChromium browser;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    HeadlessChromium b = browser;
                    if (b == null) {
                        early.add(message);
                    } else {
                        early.forEach(b::received);
                        early.clear();
                        b.received(message);
                    }
                } catch (IOException e) {
                    // not JSON: the protocol never sends that
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
