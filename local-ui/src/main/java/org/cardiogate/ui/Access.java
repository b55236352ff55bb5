package org.cardiogate.ui;

import java.util.Optional;
import java.util.Set;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * Login, sessions and CSRF for every request. Open without a session: {@code /health}, {@code /ready}, the login page
 * and its assets, and {@code POST /api/login}. Everything else needs a valid {@code cg_session} cookie: pages
 * without one are redirected to {@code /login.html}, API calls are answered 401. A session whose password must still
 * be changed may only change it, read {@code /api/session} or log out (403 otherwise). Every request that is not
 * GET or HEAD must carry header {@code X-CSRF-Token} equal to both the {@code cg_csrf} cookie and the session's own
 * token (403 otherwise). When a metrics token is configured, {@code GET /metrics} is also open to a request
 * carrying {@code Authorization: Bearer <token>} (a Prometheus scraper has no login session); a wrong token is
 * answered 401 like a missing session.
 */
final class Access implements Filter {
    static final String SESSION_COOKIE = "cg_session";
    static final String CSRF_COOKIE = "cg_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> OPEN = Set.of("/health", "/ready", "/login.html", "/login.js", "/style.css",
            "/api/login", "/favicon.ico");
    private static final Set<String> WHILE_PASSWORD_MUST_CHANGE = Set.of("/api/password", "/api/session",
            "/api/logout");

    private final Sessions sessions;
    private final boolean secureCookies;
    private final byte[] metricsToken;

    Access(Sessions sessions, boolean secureCookies, String metricsToken) {
        this.sessions = sessions;
        this.secureCookies = secureCookies;
        this.metricsToken = metricsToken == null ? null : metricsToken.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    Sessions sessions() {
        return sessions;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (OPEN.contains(path)) {
            chain.proceed();
            return;
        }
        if (metricsToken != null && path.equals("/metrics") && bearerMatches(req)) {
            chain.proceed();
            return;
        }
        Sessions.Session session = sessions.find(cookie(req, SESSION_COOKIE).orElse(null));
        boolean api = path.startsWith("/api/") || path.equals("/metrics");
        if (session == null) {
            if (api) {
                error(res, Status.UNAUTHORIZED_401, "login required");
            } else {
                res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, "/login.html").send();
            }
            return;
        }
        if (session.mustChangePassword && !WHILE_PASSWORD_MUST_CHANGE.contains(path)) {
            if (api) {
                error(res, Status.FORBIDDEN_403, "choose a new password first");
            } else {
                res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, "/login.html?change=1").send();
            }
            return;
        }
        Method method = req.prologue().method();
        if (!method.equals(Method.GET) && !method.equals(Method.HEAD)) {
            String header = req.headers().first(HeaderNames.create(CSRF_HEADER)).orElse("");
            String cookie = cookie(req, CSRF_COOKIE).orElse("");
            if (header.isEmpty() || !header.equals(cookie) || !header.equals(session.csrf)) {
                error(res, Status.FORBIDDEN_403, "missing or wrong CSRF token (header " + CSRF_HEADER + ")");
                return;
            }
        }
        chain.proceed();
    }

    private boolean bearerMatches(RoutingRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = auth.substring(7).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.security.MessageDigest.isEqual(given, metricsToken);
    }

    /** The session of this request, or {@code null}; handlers behind the filter always find one. */
    Sessions.Session session(ServerRequest req) {
        return sessions.find(cookie(req, SESSION_COOKIE).orElse(null));
    }

    /** Cookie headers for a new session: HttpOnly session, script-readable CSRF token; SameSite=Strict; Secure on TLS. */
    String[] cookiesFor(Sessions.Session s) {
        String secure = secureCookies ? "; Secure" : "";
        return new String[] {
                SESSION_COOKIE + "=" + s.token + "; Path=/; HttpOnly; SameSite=Strict" + secure,
                CSRF_COOKIE + "=" + s.csrf + "; Path=/; SameSite=Strict" + secure};
    }

    String[] clearingCookies() {
        String secure = secureCookies ? "; Secure" : "";
        return new String[] {
                SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure,
                CSRF_COOKIE + "=; Path=/; Max-Age=0; SameSite=Strict" + secure};
    }

    static Optional<String> cookie(ServerRequest req, String name) {
        for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name + "=")) {
                    return Optional.of(p.substring(name.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    static void error(io.helidon.webserver.http.ServerResponse res, Status status, String message) {
        res.status(status);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(LiveJson.write(LiveJson.MAPPER.createObjectNode().put("error", message)));
    }
}
