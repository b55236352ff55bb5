package org.cardiogate.mqtt;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 3.1.1 broker (Moquette) inside the gateway's JVM, for {@code bin/gateway demo} and for tests.
 *
 * <p>It binds to a loopback address only and lets anonymous clients in: with no authentication configured, anything
 * else would open the patient's data to the network. Telemetry to Moquette's servers is switched off. Without a data
 * directory nothing survives a restart (retained messages and persistent sessions live in memory); with one, Moquette
 * keeps them in an H2 MVStore file {@code moquette_store.h2} there.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final int FREE_PORT_ATTEMPTS = 5;

    private final Server server;
    private final String host;
    private final int port;
    private boolean closed;

    private EmbeddedBroker(Server server, String host, int port) {
        this.server = server;
        this.host = host;
        this.port = port;
    }

    /** Starts an in-memory broker on {@code 127.0.0.1} and a free port. */
    public static EmbeddedBroker startOnFreePort() {
        return start("127.0.0.1", 0, null);
    }

    /**
     * Starts a broker.
     *
     * @param host    a loopback host name or address, e.g. {@code "127.0.0.1"} or {@code "localhost"}
     * @param port    TCP port, or 0 to let the system pick a free one (see {@link #port()})
     * @param dataDir directory for Moquette's persistent store (created if missing), or {@code null} to keep
     *                everything in memory
     * @throws IllegalArgumentException if the host is not a loopback address or the port is out of range
     * @throws IllegalStateException    if the broker cannot listen on the port (taken, not permitted)
     * @throws UncheckedIOException     if the data directory cannot be created
     */
    public static EmbeddedBroker start(String host, int port, Path dataDir) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("embedded broker port must be 0 (any free port) or 1..65535, got " + port);
        }
        requireLoopback(host);
        Properties props = new Properties();
        props.setProperty(BrokerConstants.HOST_PROPERTY_NAME, host);
        props.setProperty(BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
        props.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        // mosquitto_sub and other tools connect with an empty client id (the broker then assigns one)
        props.setProperty(BrokerConstants.ALLOW_ZERO_BYTE_CLIENT_ID_PROPERTY_NAME, "true");
        props.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
        props.setProperty(BrokerConstants.METRICS_ENABLE_PROPERTY_NAME, "false");
        props.setProperty(BrokerConstants.BUGSNAG_ENABLE_PROPERTY_NAME, "false");
        props.setProperty(BrokerConstants.NETTY_EPOLL_PROPERTY_NAME, "false");
        // one interceptor thread keeps connect, disconnect and connection-lost notifications in order
        props.setProperty(BrokerConstants.BROKER_INTERCEPTOR_THREAD_POOL_SIZE, "1");
        if (dataDir == null) {
            props.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("embedded broker data directory " + dataDir + " cannot be created", e);
            }
            props.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
            props.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, dataDir.toAbsolutePath() + "/");
        }
        // Moquette reports the bound port asynchronously (and 0 until then), so port 0 is resolved here: take a free
        // port from the system and bind to it, retrying if another process took it in between.
        int attempts = port == 0 ? FREE_PORT_ATTEMPTS : 1;
        RuntimeException failure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int chosen = port == 0 ? freePort(host) : port;
            props.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(chosen));
            Server server = new Server();
            try {
                server.startServer(new MemoryConfig(props), List.of(new RetainedWills(server)));
            } catch (IOException | RuntimeException e) {
                server.stopServer();
                failure = new IllegalStateException("embedded MQTT broker cannot listen on " + host + ":" + chosen
                        + ": " + e.getMessage(), e);
                continue;
            }
            LOG.info("embedded MQTT broker listening on {}:{} ({})", host, chosen,
                    dataDir == null ? "in memory" : "store in " + dataDir);
            return new EmbeddedBroker(server, host, chosen);
        }
        throw failure;
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + host, e);
        }
    }

    private static void requireLoopback(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("embedded broker host '" + host + "' cannot be resolved", e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("embedded broker host '" + host + "' is not a loopback address: the"
                    + " embedded broker lets anonymous clients in, so it only listens on 127.0.0.1 / localhost");
        }
    }

    /** The host the broker listens on, as given. */
    public String host() {
        return host;
    }

    /** The TCP port actually bound (the chosen one when started with port 0). */
    public int port() {
        return port;
    }

    /** {@code tcp://host:port}, ready for {@link MqttSettings}. */
    public String serverUri() {
        return "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stopServer();
            LOG.info("embedded MQTT broker on {}:{} stopped", host, port);
        }
    }

    /**
     * Moquette 0.17 sends a last will to the subscribers but ignores its RETAIN flag, so a client subscribing later
     * would still see the retained "online" of a gateway that is gone. This keeps the will of each connected client
     * and, when its connection is lost without a DISCONNECT, publishes it once more as a retained message. Live
     * subscribers therefore receive a retained will twice on this broker (a status is idempotent).
     */
    private static final class RetainedWills extends AbstractInterceptHandler {
        private record Will(String topic, byte[] payload, MqttQoS qos) {
        }

        private final Server server;
        private final Map<String, Will> wills = new ConcurrentHashMap<>();

        RetainedWills(Server server) {
            this.server = server;
        }

        @Override
        public String getID() {
            return "cardiogate-retained-wills";
        }

        @Override
        public void onConnect(InterceptConnectMessage msg) {
            if (msg.isWillFlag() && msg.isWillRetain()) {
                wills.put(msg.getClientID(), new Will(msg.getWillTopic(), msg.getWillMessage(),
                        MqttQoS.valueOf(msg.getWillQos())));
            } else {
                wills.remove(msg.getClientID());
            }
        }

        @Override
        public void onDisconnect(InterceptDisconnectMessage msg) {
            wills.remove(msg.getClientID());
        }

        @Override
        public void onConnectionLost(InterceptConnectionLostMessage msg) {
            Will will = wills.remove(msg.getClientID());
            if (will != null) {
                server.internalPublish(MqttMessageBuilders.publish().topicName(will.topic()).retained(true)
                        .qos(will.qos()).payload(Unpooled.copiedBuffer(will.payload())).build(), getID());
            }
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            LOG.warn("embedded MQTT broker session loop error", error);
        }
    }
}
