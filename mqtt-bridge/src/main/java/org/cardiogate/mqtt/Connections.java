package org.cardiogate.mqtt;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/** Connect options shared by the publisher and {@link GatewaySubscriber}: protocol, credentials, TLS. */
final class Connections {
    static final int CONNECT_TIMEOUT_S = 10;
    static final int KEEP_ALIVE_S = 30;

    private Connections() {
    }

    /**
     * MQTT 3.1.1, automatic reconnect, credentials, and for {@code ssl://} a TLS socket factory with host-name
     * verification (from {@code tls}, or the JVM's default trust store when {@code tls} is null).
     */
    static MqttConnectOptions options(String serverUri, String username, String password, TlsSettings tls,
                                      long maxReconnectDelayMillis, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) Math.min(Integer.MAX_VALUE, maxReconnectDelayMillis));
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setKeepAliveInterval(KEEP_ALIVE_S);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        if (serverUri.startsWith("ssl://")) {
            options.setSocketFactory(Tls.socketFactory(tls == null ? new TlsSettings(null, null, null) : tls));
            options.setHttpsHostnameVerificationEnabled(true);
        }
        return options;
    }
}
