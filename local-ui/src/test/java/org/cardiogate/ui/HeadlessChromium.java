package org.cardiogate.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A headless Debian Chromium showing one page, read through the DevTools protocol (java.net.http WebSocket), so a
 * test can look at the live DOM as often as it likes while the page keeps its EventSource open. Closing it kills the
 * browser and every process it started, and deletes its profile.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket page;

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    public static HeadlessChromium open(String url, Path workDir) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Process process = new ProcessBuilder(List.of(EXECUTABLE.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0", url))
                .redirectOutput(workDir.resolve("chromium.out").toFile())
                .redirectError(workDir.resolve("chromium.log").toFile())
                .start();
        HeadlessChromium chromium = new HeadlessChromium(process, profile);
        try {
            chromium.connect(url);
            return chromium;
        } catch (IOException | InterruptedException | RuntimeException e) {
            chromium.close();
            throw e;
        }
    }

    /** Evaluates a JavaScript expression in the page and returns its value as text. */
    public String evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
        JsonNode result = call("Runtime.evaluate", params).path("result");
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw on '" + expression + "': " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value").asText();
    }

    /** Evaluates an expression whose value is a promise and returns what it resolves to, as text. */
    public String evaluateAsync(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = call("Runtime.evaluate", params).path("result");
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw on '" + expression + "': " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value").asText();
    }

    /**
     * Clicks the centre of the first element matching the CSS selector with real mouse events (DevTools
     * {@code Input.dispatchMouseEvent}), as a user would. Fails when there is no such element.
     */
    public void click(String selector) throws Exception {
        String quoted = JSON.writeValueAsString(selector);
        String box = evaluate("(() => { const e = document.querySelector(" + quoted + "); if (!e) return '';"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return (r.left + r.width / 2) + ',' + (r.top + r.height / 2); })()");
        if (box.isEmpty()) {
            throw new IllegalStateException("no element matches " + selector);
        }
        String[] xy = box.split(",");
        for (String type : new String[] {"mousePressed", "mouseReleased"}) {
            call("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", type)
                    .put("x", Double.parseDouble(xy[0])).put("y", Double.parseDouble(xy[1]))
                    .put("button", "left").put("clickCount", 1));
        }
    }

    /** Types text into the focused element, as keyboard input. */
    public void type(String text) throws Exception {
        call("Input.insertText", JSON.createObjectNode().put("text", text));
    }

    /** Sets the viewport size without taking a screenshot. */
    public void viewport(int width, int height) throws Exception {
        call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** The PNG of what the page shows now, at the current viewport. */
    public byte[] screenshotBytes() throws Exception {
        JsonNode reply = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(reply.path("result").path("data").asText());
    }

    /**
     * Whether the browser tests can run: {@code false} (skip) when /usr/bin/chromium is missing, unless
     * {@code CARDIOGATE_REQUIRE_TOOLS=1}, in which case a missing browser fails the test.
     */
    public static boolean availableOrRequired() {
        if (Files.isExecutable(EXECUTABLE)) {
            return true;
        }
        if ("1".equals(System.getenv("CARDIOGATE_REQUIRE_TOOLS"))) {
            throw new AssertionError(EXECUTABLE + " is missing and CARDIOGATE_REQUIRE_TOOLS=1 (apt-get install -y chromium)");
        }
        return false;
    }

    /** A weighted sum of a canvas's pixels: it changes whenever anything drawn on the canvas changes. */
    public long canvasChecksum(String canvasId) throws Exception {
        return Long.parseLong(evaluate("(() => { const c = document.getElementById('" + canvasId + "');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] + 2 * d[i + 1] + 3 * d[i + 2];"
                + " return String(s); })()"));
    }

    /**
     * On the login page: logs in as the installer with the first start's one-time password, chooses
     * {@code newPassword} when the page asks for it, and waits until the live page is connected.
     */
    public void firstLogin(String oneTimePassword, String newPassword, Duration wait) throws Exception {
        org.awaitility.Awaitility.await().atMost(wait).until(() -> evaluate("location.pathname").equals("/login.html"));
        evaluate("document.getElementById('password').focus()");
        type(oneTimePassword);
        click("#login");
        org.awaitility.Awaitility.await().atMost(wait).until(() -> evaluate(
                "String(!document.getElementById('change-form').classList.contains('hidden'))").equals("true"));
        evaluate("document.getElementById('new').focus()");
        type(newPassword);
        evaluate("document.getElementById('repeat').focus()");
        type(newPassword);
        click("#change");
        org.awaitility.Awaitility.await().atMost(wait).until(() -> evaluate("location.pathname").equals("/")
                && evaluate("document.getElementById('conn').textContent").equals("live"));
    }

    /** The page's current DOM as HTML, like {@code chromium --dump-dom} but at any moment. */
    public String dom() throws Exception {
        return evaluate("document.documentElement.outerHTML");
    }

    /** Saves what the page looks like now as a PNG of the given CSS-pixel size. */
    public void screenshot(Path png, int width, int height) throws Exception {
        call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode reply = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(reply.path("result").path("data").asText()));
    }

    private void connect(String url) throws IOException, InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("chromium did not open its DevTools port (exit "
                        + (process.isAlive() ? "none" : process.exitValue()) + ")");
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        String wsUrl = null;
        while (wsUrl == null) {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : JSON.readTree(list.body())) {
                if ("page".equals(target.path("type").asText()) && target.path("url").asText().startsWith(url)) {
                    wsUrl = target.path("webSocketDebuggerUrl").asText();
                }
            }
            if (wsUrl == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium shows no page for " + url + ": " + list.body());
                }
                Thread.sleep(50);
            }
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Replies()).join();
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(JSON.writeValueAsString(message), true).join();
        return reply.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        if (page != null) {
            page.abort();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
        try (Stream<Path> paths = Files.walk(profile)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode reply = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> waiting = reply.has("id") ? pending.remove(reply.get("id").asInt()) : null;
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable DevTools reply: " + partial, e);
                } finally {
                    partial.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
