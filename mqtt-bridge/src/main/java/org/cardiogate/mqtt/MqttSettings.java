package org.cardiogate.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * How {@link MqttPublisher} reaches its broker.
 *
 * @param serverUri     {@code tcp://host:port} (or {@code ssl://host:port} with the JVM's default trust store)
 * @param clientId      MQTT client id; must be stable across restarts, because the session is not clean (the broker
 *                      keeps in-flight QoS 1 state under this id)
 * @param gatewayId     the gateway's topic level, see {@link MqttTopics}
 * @param username      user name, or {@code null} to connect anonymously
 * @param password      password, or {@code null}; never logged nor shown by {@link #toString()}
 * @param queueCapacity number of items (beats, vitals, events together) waiting to be sent; when it is full new items
 *                      are dropped and counted
 */
public record MqttSettings(String serverUri, String clientId, String gatewayId, String username, String password,
                           int queueCapacity) {
    /** Default {@link #queueCapacity()}: about a minute of beats, vitals and events from a few streams. */
    public static final int DEFAULT_QUEUE_CAPACITY = 4096;
    /** Upper limit of {@link #queueCapacity()}. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 20;

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
    }

    /** Anonymous, client id {@code cardiogate-<gatewayId>}, {@link #DEFAULT_QUEUE_CAPACITY}. */
    public static MqttSettings of(String serverUri, String gatewayId) {
        return new MqttSettings(serverUri, "cardiogate-" + gatewayId, gatewayId, null, null, DEFAULT_QUEUE_CAPACITY);
    }

    public MqttSettings withClientId(String newClientId) {
        return new MqttSettings(serverUri, newClientId, gatewayId, username, password, queueCapacity);
    }

    public MqttSettings withCredentials(String newUsername, String newPassword) {
        return new MqttSettings(serverUri, clientId, gatewayId, newUsername, newPassword, queueCapacity);
    }

    public MqttSettings withQueueCapacity(int newQueueCapacity) {
        return new MqttSettings(serverUri, clientId, gatewayId, username, password, newQueueCapacity);
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
                + ", queueCapacity=" + queueCapacity + "]";
    }
}
