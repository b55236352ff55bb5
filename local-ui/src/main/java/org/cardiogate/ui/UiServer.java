package org.cardiogate.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import org.cardiogate.signal.MonotonicClock;

/**
 * The local web page: a Helidon SE server on one host and port.
 *
 * <ul>
 *   <li>{@code GET /} the monitor page (classpath {@code /web}), {@code /login.html} the login page</li>
 *   <li>{@code GET /api/state} JSON snapshot: heart rates, vitals with trends, recent beats and events, streams</li>
 *   <li>{@code GET /api/live} server-sent events {@code status}, {@code streams}, {@code wave}, {@code hr},
 *       {@code vital}, {@code beat}, {@code event}</li>
 *   <li>{@code GET /api/status}, {@code /api/alarms}, {@code /api/evidence/{id}}, {@code /api/config},
 *       {@code /api/recordings}; {@code POST /api/alarms/{id}/ack|silence}, {@code /api/config},
 *       {@code /api/recordings}, {@code /api/recordings/{id}/stop}; {@code GET /api/recordings/{id}/download}</li>
 *   <li>{@code POST /api/login}, {@code /api/logout}, {@code /api/password}; {@code GET /api/session}</li>
 *   <li>{@code GET /health} liveness, {@code /ready} readiness (gateway-supplied), {@code /metrics} Prometheus text</li>
 * </ul>
 *
 * <p>With {@link UiSettings#loginRequired()} every path except {@code /health}, {@code /ready} and the login page
 * needs a session, and state-changing requests need the CSRF header (see {@link Access}).
 *
 * <p>The server does not own the {@link LiveState}: whoever started it closes it after the server.
 */
public final class UiServer implements AutoCloseable {
    private static final String HEALTH_UP = "{\"status\":\"UP\"}";
    private static final System.Logger LOG = System.getLogger(UiServer.class.getName());

    private final WebServer server;
    private final LiveState state;
    private final boolean tls;

    private UiServer(WebServer server, LiveState state, boolean tls) {
        this.server = server;
        this.state = state;
        this.tls = tls;
    }

    /**
     * Starts serving at once, without login, with nothing but the live state plugged in. Kept for the gateway's v1
     * wiring and tests; a bedside gateway uses {@link #start(UiSettings, LiveState, UiHooks)}, which requires login.
     *
     * @param host address to bind, e.g. {@code "127.0.0.1"} (bedside only) or {@code "0.0.0.0"}
     * @param port TCP port, or 0 for a free one (see {@link #port()})
     */
    public static UiServer start(String host, int port, LiveState state) {
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            LOG.log(System.Logger.Level.WARNING, "local page on {0} without login: use UiServer.start(UiSettings, ...)",
                    host);
        }
        return start(new UiSettings(host, port, null, false, null, null, UiSettings.DEFAULT_SESSION_IDLE), state,
                UiHooks.NONE);
    }

    /**
     * Starts serving at once. With login required, reads the credential file in {@link UiSettings#dataDir()} or,
     * on first start, creates it and shows the one-time password through {@link UiHooks#passwordNotice()}.
     *
     * @throws UncheckedIOException when the credential file cannot be read or written
     * @throws IllegalArgumentException when the TLS files are unreadable (the message names the setting)
     */
    public static UiServer start(UiSettings settings, LiveState state, UiHooks hooks) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(hooks, "hooks");
        Credentials credentials = null;
        if (settings.loginRequired()) {
            try {
                credentials = Credentials.open(settings.dataDir(), hooks.passwordNotice());
            } catch (IOException e) {
                throw new UncheckedIOException("ui.dataDir " + settings.dataDir() + ": " + e.getMessage(), e);
            }
        }
        Credentials creds = credentials;
        WebServerConfig.Builder builder = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .routing(r -> routing(r, state, hooks, settings, creds, MonotonicClock.SYSTEM));
        if (settings.tls()) {
            builder.tls(PemTls.load(settings.tlsCertificate(), settings.tlsKey()));
        }
        return new UiServer(builder.build().start(), state, settings.tls());
    }

    /** The page's routes without login; the v1 server and tests call this. */
    public static void routing(HttpRouting.Builder r, LiveState state) {
        routing(r, state, UiHooks.NONE, new UiSettings("127.0.0.1", 0, null, false, null, null,
                UiSettings.DEFAULT_SESSION_IDLE), null, MonotonicClock.SYSTEM);
    }

    static void routing(HttpRouting.Builder r, LiveState state, UiHooks hooks, UiSettings settings,
                        Credentials credentials, MonotonicClock clock) {
        Access access = null;
        if (credentials != null) {
            access = new Access(new Sessions(clock, settings.sessionIdle().toNanos()), settings.tls(),
                    settings.metricsToken());
            r.addFilter(access);
        }
        r.addFilter((chain, req, res) -> {
            res.headers().set(HeaderNames.create("X-Content-Type-Options"), "nosniff");
            res.headers().set(HeaderNames.create("X-Frame-Options"), "DENY");
            res.headers().set(HeaderNames.create("Content-Security-Policy"),
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                            + "connect-src 'self'; frame-ancestors 'none'");
            chain.proceed();
        });
        new Api(state, hooks, access, credentials, new LoginThrottle(clock)).routes(r);
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

    /** Whether the page is served over HTTPS. */
    public boolean tls() {
        return tls;
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
