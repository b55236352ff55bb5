package org.cardiogate.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link MqttPublisher} reaches its broker and keeps its outbox. Build with {@link #of} and the {@code with...}
 * methods; every value is checked here, and a bad one is refused with a message naming it.
 *
 * @param serverUri          {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId           MQTT client id; stable across restarts
 * @param gatewayId          the gateway's topic level, see {@link MqttTopics}
 * @param username           user name, or {@code null} to connect anonymously
 * @param password           password, or {@code null}; never logged nor shown by {@link #toString()}
 * @param queueCapacity      items (of all kinds) waiting in memory between the caller and the outbox thread; when it is
 *                           full new items are dropped, counted and show as a {@code seq} gap
 * @param outboxDir          directory of the durable outbox (one per gateway), or {@code null} for a temporary one
 *                           that is deleted on {@link MqttPublisher#close()} (nothing survives a restart)
 * @param outboxBudgetBytes  disk budget of the outbox's segment files, bytes
 * @param segmentBytes       size of one outbox segment, bytes: the granularity of deletion and of budget drops
 * @param backfillPerSecond  messages per second sent from the backlog (vitals, beats, waveforms) while live data flows;
 *                           events are not limited
 * @param syncIntervalMillis how often the outbox is forced to the device, ms (events are forced at once); 0 forces
 *                           after every batch
 * @param statsIntervalMillis how often the retained {@code stats} message is published, ms
 * @param maxReconnectDelayMillis upper limit of the reconnect back-off, ms
 * @param tls                TLS settings for {@code ssl://}, or {@code null} for the JVM's default trust store
 */
public record MqttSettings(String serverUri, String clientId, String gatewayId, String username, String password,
                           int queueCapacity, Path outboxDir, long outboxBudgetBytes, long segmentBytes,
                           int backfillPerSecond, long syncIntervalMillis, long statsIntervalMillis,
                           long maxReconnectDelayMillis, TlsSettings tls) {
    /** Default {@link #queueCapacity()}. */
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    /** Upper limit of {@link #queueCapacity()}. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 20;
    /** Default {@link #outboxBudgetBytes()}: 256 MiB, about 9 hours of one 8-lead ECG + PPG + SCG patient offline. */
    public static final long DEFAULT_OUTBOX_BUDGET = 256L << 20;
    /** Default {@link #segmentBytes()}: 4 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 4L << 20;
    /** Default {@link #backfillPerSecond()}. */
    public static final int DEFAULT_BACKFILL_PER_SECOND = 500;
    public static final long DEFAULT_SYNC_INTERVAL_MS = 200;
    public static final long DEFAULT_STATS_INTERVAL_MS = 10_000;
    public static final long DEFAULT_MAX_RECONNECT_DELAY_MS = 10_000;

    public MqttSettings {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(gatewayId, "gatewayId");
        MqttTopics.requireLevel("gatewayId", gatewayId);
        checkServerUri(serverUri);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("MQTT clientId must not be empty");
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("MQTT password given without a username (MQTT 3.1.1 does not allow that)");
        }
        if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
            throw new IllegalArgumentException("MQTT queueCapacity must be 1.." + MAX_QUEUE_CAPACITY + ", got " + queueCapacity);
        }
        if (segmentBytes < 4096 || segmentBytes > (1L << 30)) {
            throw new IllegalArgumentException("MQTT outbox segmentBytes must be 4096..2^30, got " + segmentBytes);
        }
        if (outboxBudgetBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("MQTT outboxBudgetBytes must be at least two segments (" + 2 * segmentBytes
                    + " bytes), got " + outboxBudgetBytes);
        }
        if (backfillPerSecond < 1) {
            throw new IllegalArgumentException("MQTT backfillPerSecond must be at least 1, got " + backfillPerSecond);
        }
        if (syncIntervalMillis < 0 || statsIntervalMillis < 100 || maxReconnectDelayMillis < 100) {
            throw new IllegalArgumentException("MQTT syncIntervalMillis must be >= 0, statsIntervalMillis and"
                    + " maxReconnectDelayMillis >= 100; got " + syncIntervalMillis + ", " + statsIntervalMillis + ", "
                    + maxReconnectDelayMillis);
        }
        if (tls != null && !serverUri.startsWith("ssl://")) {
            throw new IllegalArgumentException("MQTT TLS settings given but serverUri '" + serverUri
                    + "' is not ssl://host:port");
        }
    }

    /** Anonymous, client id {@code cardiogate-<gatewayId>}, temporary outbox, defaults for the rest. */
    public static MqttSettings of(String serverUri, String gatewayId) {
        return new MqttSettings(serverUri, "cardiogate-" + gatewayId, gatewayId, null, null, DEFAULT_QUEUE_CAPACITY,
                null, DEFAULT_OUTBOX_BUDGET, DEFAULT_SEGMENT_BYTES, DEFAULT_BACKFILL_PER_SECOND, DEFAULT_SYNC_INTERVAL_MS,
                DEFAULT_STATS_INTERVAL_MS, DEFAULT_MAX_RECONNECT_DELAY_MS, null);
    }

    public MqttSettings withClientId(String newClientId) {
        return new MqttSettings(serverUri, newClientId, gatewayId, username, password, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, syncIntervalMillis, statsIntervalMillis,
                maxReconnectDelayMillis, tls);
    }

    public MqttSettings withCredentials(String newUsername, String newPassword) {
        return new MqttSettings(serverUri, clientId, gatewayId, newUsername, newPassword, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, syncIntervalMillis, statsIntervalMillis,
                maxReconnectDelayMillis, tls);
    }

    public MqttSettings withQueueCapacity(int newQueueCapacity) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, newQueueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, syncIntervalMillis, statsIntervalMillis,
                maxReconnectDelayMillis, tls);
    }

    /** A durable outbox in this directory (created if missing); what is pending there is sent after a restart. */
    public MqttSettings withOutbox(Path dir) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity,
                Objects.requireNonNull(dir, "outbox dir"), outboxBudgetBytes, segmentBytes, backfillPerSecond,
                syncIntervalMillis, statsIntervalMillis, maxReconnectDelayMillis, tls);
    }

    /** Disk budget and segment size of the outbox, bytes. */
    public MqttSettings withOutboxBudget(long budgetBytes, long newSegmentBytes) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity, outboxDir,
                budgetBytes, newSegmentBytes, backfillPerSecond, syncIntervalMillis, statsIntervalMillis,
                maxReconnectDelayMillis, tls);
    }

    /** Messages per second sent from the backlog while live data flows. */
    public MqttSettings withBackfillRate(int messagesPerSecond) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, messagesPerSecond, syncIntervalMillis, statsIntervalMillis,
                maxReconnectDelayMillis, tls);
    }

    public MqttSettings withSyncInterval(Duration interval) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, interval.toMillis(), statsIntervalMillis,
                maxReconnectDelayMillis, tls);
    }

    public MqttSettings withStatsInterval(Duration interval) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, syncIntervalMillis, interval.toMillis(),
                maxReconnectDelayMillis, tls);
    }

    public MqttSettings withMaxReconnectDelay(Duration delay) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, syncIntervalMillis, statsIntervalMillis,
                delay.toMillis(), tls);
    }

    /** TLS for an {@code ssl://} server URI. */
    public MqttSettings withTls(TlsSettings newTls) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, queueCapacity, outboxDir,
                outboxBudgetBytes, segmentBytes, backfillPerSecond, syncIntervalMillis, statsIntervalMillis,
                maxReconnectDelayMillis, newTls);
    }

    private static void checkServerUri(String serverUri) {
        URI uri;
        try {
            uri = new URI(serverUri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MQTT serverUri '" + serverUri + "' is not a URI: " + e.getMessage(), e);
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("MQTT serverUri must not carry credentials; give username and password separately");
        }
        String scheme = uri.getScheme();
        if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
            throw new IllegalArgumentException("MQTT serverUri '" + serverUri + "' must start with tcp:// or ssl://");
        }
        if (uri.getHost() == null || uri.getPort() < 1) {
            throw new IllegalArgumentException("MQTT serverUri '" + serverUri + "' must name a host and a port, e.g. tcp://127.0.0.1:1883");
        }
    }

    @Override
    public String toString() {
        return "MqttSettings[serverUri=" + serverUri + ", clientId=" + clientId + ", gatewayId=" + gatewayId
                + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", queueCapacity=" + queueCapacity + ", outbox=" + (outboxDir == null ? "temporary" : outboxDir)
                + ", budget=" + outboxBudgetBytes + ", tls=" + tls + "]";
    }
}
