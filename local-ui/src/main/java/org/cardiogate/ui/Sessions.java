package org.cardiogate.ui;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

import org.cardiogate.signal.MonotonicClock;

/**
 * Logged-in sessions, in memory: a random 256-bit token (the {@code cg_session} cookie) and a separate random CSRF
 * token (the {@code cg_csrf} cookie, echoed by the page in the {@code X-CSRF-Token} header). A session ends after
 * the idle time or 12 hours, or at logout. Thread-safe.
 */
final class Sessions {
    static final long MAX_AGE_NANOS = 12L * 3600 * 1_000_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<String, Session> byToken = new ConcurrentHashMap<>();
    private final MonotonicClock clock;
    private final long idleNanos;

    static final class Session {
        final String token;
        final String csrf;
        final String user;
        final long createdNanos;
        volatile long lastSeenNanos;
        volatile boolean mustChangePassword;

        Session(String token, String csrf, String user, long now, boolean mustChangePassword) {
            this.token = token;
            this.csrf = csrf;
            this.user = user;
            this.createdNanos = now;
            this.lastSeenNanos = now;
            this.mustChangePassword = mustChangePassword;
        }
    }

    Sessions(MonotonicClock clock, long idleNanos) {
        this.clock = clock;
        this.idleNanos = idleNanos;
    }

    Session create(String user, boolean mustChangePassword) {
        long now = clock.nanoTime();
        byToken.values().removeIf(s -> expired(s, now));
        Session s = new Session(randomToken(), randomToken(), user, now, mustChangePassword);
        byToken.put(s.token, s);
        return s;
    }

    /** The live session with this token, touched; {@code null} when unknown or expired. */
    Session find(String token) {
        if (token == null) {
            return null;
        }
        Session s = byToken.get(token);
        if (s == null) {
            return null;
        }
        long now = clock.nanoTime();
        if (expired(s, now)) {
            byToken.remove(token);
            return null;
        }
        s.lastSeenNanos = now;
        return s;
    }

    void end(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** Ends every session but this one (after a password change). */
    void endAllBut(Session keep) {
        byToken.values().removeIf(s -> s != keep);
    }

    int count() {
        return byToken.size();
    }

    private boolean expired(Session s, long now) {
        return now - s.lastSeenNanos > idleNanos || now - s.createdNanos > MAX_AGE_NANOS;
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
