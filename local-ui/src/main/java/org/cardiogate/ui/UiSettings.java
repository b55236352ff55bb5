package org.cardiogate.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the page is served.
 *
 * @param host           address to bind, e.g. {@code "127.0.0.1"} (bedside only) or {@code "0.0.0.0"}
 * @param port           TCP port, or 0 for a free one
 * @param dataDir        where the credential file {@value Credentials#FILE_NAME} lives; created if missing. May be
 *                       {@code null} only when {@code loginRequired} is false
 * @param loginRequired  whether every page and API except {@code /health}, {@code /ready} and the login page needs
 *                       a session; false only for tests and the legacy {@link UiServer#start(String, int, LiveState)}
 * @param tlsCertificate PEM certificate chain (server certificate first), or {@code null} for plain HTTP
 * @param tlsKey         PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}, RSA or EC) matching the certificate
 * @param sessionIdle    a session ends after this long without a request
 * @param metricsToken   a bearer token that lets a Prometheus scraper read {@code /metrics} without a login session
 *                       ({@code Authorization: Bearer <token>}, at least 16 characters), or {@code null}: then
 *                       {@code /metrics} needs a session like every other API
 */
public record UiSettings(String host, int port, Path dataDir, boolean loginRequired, Path tlsCertificate,
                         Path tlsKey, Duration sessionIdle, String metricsToken) {
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(30);

    public UiSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ui.port must be between 0 and 65535, got " + port);
        }
        if (loginRequired && dataDir == null) {
            throw new IllegalArgumentException("ui.dataDir is needed to keep the login credential");
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("ui.tlsCertificate and ui.tlsKey must be given together");
        }
        if (sessionIdle.isNegative() || sessionIdle.isZero()) {
            throw new IllegalArgumentException("ui.sessionIdle must be positive, got " + sessionIdle);
        }
        if (metricsToken != null && (metricsToken.length() < 16 || !metricsToken.matches("[\\x21-\\x7e]+"))) {
            throw new IllegalArgumentException("ui.metricsToken must be at least 16 printable characters without spaces");
        }
    }

    /** Without a metrics token. */
    public UiSettings(String host, int port, Path dataDir, boolean loginRequired, Path tlsCertificate, Path tlsKey,
                      Duration sessionIdle) {
        this(host, port, dataDir, loginRequired, tlsCertificate, tlsKey, sessionIdle, null);
    }

    /** Login required, plain HTTP, 30 minute sessions. */
    public static UiSettings of(String host, int port, Path dataDir) {
        return new UiSettings(host, port, Objects.requireNonNull(dataDir, "dataDir"), true, null, null,
                DEFAULT_SESSION_IDLE);
    }

    /** The same settings served over HTTPS with this PEM certificate chain and key. */
    public UiSettings withTls(Path certificate, Path key) {
        return new UiSettings(host, port, dataDir, loginRequired, Objects.requireNonNull(certificate, "certificate"),
                Objects.requireNonNull(key, "key"), sessionIdle, metricsToken);
    }

    /** The same settings with sessions ending after this long without a request. */
    public UiSettings withSessionIdle(Duration idle) {
        return new UiSettings(host, port, dataDir, loginRequired, tlsCertificate, tlsKey, idle, metricsToken);
    }

    /** The same settings with a bearer token for Prometheus scrapers of {@code /metrics}. */
    public UiSettings withMetricsToken(String token) {
        return new UiSettings(host, port, dataDir, loginRequired, tlsCertificate, tlsKey, sessionIdle,
                Objects.requireNonNull(token, "token"));
    }

    @Override
    public String toString() {
        return "UiSettings[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", loginRequired="
                + loginRequired + ", tls=" + tls() + ", sessionIdle=" + sessionIdle + ", metricsToken="
                + (metricsToken == null ? "none" : "set") + "]";
    }

    public boolean tls() {
        return tlsCertificate != null;
    }
}
