package org.cardiogate.ui;

import java.util.Objects;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * The local web page: a Helidon SE server on one host and port.
 *
 * <ul>
 *   <li>{@code GET /} the monitor page (classpath {@code /web}: {@code index.html}, {@code app.js}, {@code style.css})</li>
 *   <li>{@code GET /api/state} JSON snapshot: latest heart rate per stream, recent beats and events, status, counters</li>
 *   <li>{@code GET /api/live} server-sent events {@code status}, {@code hr}, {@code beat}, {@code event}</li>
 *   <li>{@code GET /health} {@code {"status":"UP"}}</li>
 * </ul>
 *
 * <p>The server does not own the {@link LiveState}: whoever started it closes it after the server.
 */
public final class UiServer implements AutoCloseable {
    private static final String HEALTH_UP = "{\"status\":\"UP\"}";

    private final WebServer server;
    private final LiveState state;

    private UiServer(WebServer server, LiveState state) {
        this.server = server;
        this.state = state;
    }

    /**
     * Starts serving at once.
     *
     * @param host address to bind, e.g. {@code "127.0.0.1"} (bedside only) or {@code "0.0.0.0"}
     * @param port TCP port, or 0 for a free one (see {@link #port()})
     */
    public static UiServer start(String host, int port, LiveState state) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(state, "state");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("local-ui port must be between 0 and 65535, got " + port);
        }
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .routing(r -> routing(r, state))
                .build()
                .start();
        return new UiServer(server, state);
    }

    /** The page's routes; the server and the tests both call this. */
    public static void routing(HttpRouting.Builder r, LiveState state) {
        r.get("/health", (req, res) -> sendJson(res, HEALTH_UP))
                .get("/api/state", (req, res) -> sendJson(res, LiveJson.state(state.snapshot())))
                .get("/api/live", new LiveStreamHandler(state))
                .register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location("web")
                        .welcome("index.html")
                        .build()));
    }

    /** The port actually bound (the free port chosen when started with 0). */
    public int port() {
        return server.port();
    }

    /** Ends the live streams, then stops the server. */
    @Override
    public void close() {
        state.disconnectAll();
        server.stop();
    }

    private static void sendJson(ServerResponse res, String json) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json);
    }
}
