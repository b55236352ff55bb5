package org.cardiogate.ui;

import java.time.Instant;

/**
 * The MQTT link on the status page.
 *
 * @param connected whether the client is connected to the broker now
 * @param broker    the broker URI
 * @param backlog   messages waiting in the store-and-forward outbox
 * @param lastAck   wall-clock time the broker last acknowledged a message, or {@code null} when never
 */
public record MqttStatus(boolean connected, String broker, long backlog, Instant lastAck) {
    public static final MqttStatus UNKNOWN = new MqttStatus(false, "", 0, null);

    public MqttStatus {
        broker = broker == null ? "" : broker;
    }
}
