package org.cardiogate.mqtt;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of contract v1 and the reference for writing one: subscribes to one or many gateways, decodes every
 * message kind (JSON, binary waveforms), tracks {@code seq} per topic with a {@link SeqTracker}, reports gaps, drops
 * duplicates, and hands each message to a {@link Listener} (for example {@link #jsonLines}).
 *
 * <h2>Session</h2>
 * By default the session is persistent (clean session false, QoS 1, stable client id): while this consumer is
 * disconnected the broker keeps its messages, so a consumer restart loses nothing the broker still holds. To share
 * the load of many gateways between several instances, subscribe with {@code $share/<group>/cardiogate/v1/+/...}
 * filters (see {@code docs/mqtt.md}); {@code seq} tracking then works per instance only for the topics it receives.
 *
 * <h2>Threads</h2>
 * Paho's callback thread only decodes, tracks and queues; the listener runs on one thread of its own
 * ({@code gateway-subscriber-<clientId>}), in arrival order, so it may block (write a file) without stalling the client.
 */
public final class GatewaySubscriber implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySubscriber.class);
    private static final int QUEUE_CAPACITY = 1 << 16;

    /**
     * Where and how to subscribe.
     *
     * @param filters      topic filters, e.g. {@link #gatewayFilter(String)} or {@code cardiogate/v1/#}
     * @param cleanSession false (the default of {@link #of}) keeps messages at the broker while this consumer is away
     */
    public record Options(String serverUri, String clientId, String username, String password, TlsSettings tls,
                          List<String> filters, boolean cleanSession) {
        public Options {
            Objects.requireNonNull(serverUri, "serverUri");
            Objects.requireNonNull(clientId, "clientId");
            filters = List.copyOf(filters);
            if (filters.isEmpty()) {
                throw new IllegalArgumentException("subscriber needs at least one topic filter");
            }
            if (password != null && username == null) {
                throw new IllegalArgumentException("subscriber password given without a username");
            }
            if (tls != null && !serverUri.startsWith("ssl://")) {
                throw new IllegalArgumentException("subscriber TLS settings given but serverUri '" + serverUri
                        + "' is not ssl://host:port");
            }
        }

        /** A persistent session on every gateway's topics ({@code cardiogate/v1/#}). */
        public static Options of(String serverUri, String clientId) {
            return new Options(serverUri, clientId, null, null, null, List.of(MqttTopics.ROOT + "/#"), false);
        }

        public Options withFilters(List<String> newFilters) {
            return new Options(serverUri, clientId, username, password, tls, newFilters, cleanSession);
        }

        /** Subscribes to these gateways only. */
        public Options withGateways(List<String> gatewayIds) {
            return withFilters(gatewayIds.stream().map(GatewaySubscriber::gatewayFilter).toList());
        }

        public Options withCredentials(String newUsername, String newPassword) {
            return new Options(serverUri, clientId, newUsername, newPassword, tls, filters, cleanSession);
        }

        public Options withTls(TlsSettings newTls) {
            return new Options(serverUri, clientId, username, password, newTls, filters, cleanSession);
        }

        public Options withCleanSession(boolean clean) {
            return new Options(serverUri, clientId, username, password, tls, filters, clean);
        }

        @Override
        public String toString() {
            return "Options[serverUri=" + serverUri + ", clientId=" + clientId + ", username=" + username
                    + ", password=" + (password == null ? "none" : "***") + ", filters=" + filters + "]";
        }
    }

    /** The kinds of message in the topic tree. */
    public enum Kind {
        STATUS, STATS, REPLY, COMMAND, VITALS, BEATS, EVENTS, WAVEFORM, OTHER
    }

    /**
     * One decoded message.
     *
     * @param gatewayId  from the topic, or {@code null} for a topic outside the tree
     * @param streamId   from the topic, or {@code null} for gateway-level topics
     * @param seq        the message's {@code seq}, or -1 for kinds without one
     * @param verdict    for stream messages: new, late (fills a gap) or duplicate; {@code null} otherwise
     * @param gap        how many seqs this message showed missing before it (0 usually)
     * @param json       the JSON payload, or {@code null} for waveforms and undecodable payloads
     * @param waveform   the decoded waveform block, or {@code null}
     * @param error      why the payload could not be decoded, or {@code null}
     * @param receivedNanos {@link System#nanoTime()} at arrival (for latency measurements in the same host)
     */
    public record Message(String topic, Kind kind, String gatewayId, String streamId, long seq,
                          SeqTracker.Verdict verdict, long gap, boolean retained, JsonNode json,
                          WaveformMessage waveform, String error, long receivedNanos) {
    }

    /** Receives decoded messages on the subscriber's listener thread. Duplicates are not delivered. */
    @FunctionalInterface
    public interface Listener {
        void onMessage(Message message);
    }

    private final Options options;
    private final MqttClient client;
    private final Listener listener;
    private final Map<String, SeqTracker> trackers = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Message> handoff = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private final Thread listenerThread;
    private volatile boolean running = true;
    private volatile boolean connected;

    private GatewaySubscriber(Options options, Listener listener) throws MqttException {
        this.options = options;
        this.listener = listener;
        this.client = new MqttClient(options.serverUri(), options.clientId(), new MemoryPersistence());
        this.listenerThread = new Thread(this::runListener, "gateway-subscriber-" + options.clientId());
        listenerThread.setDaemon(true);
    }

    /**
     * Connects, subscribes at QoS 1 and starts delivering. Blocks until connected and subscribed.
     *
     * @throws IOException with a plain explanation (TLS problems named) if the broker cannot be reached or refuses
     */
    public static GatewaySubscriber connect(Options options, Listener listener) throws IOException {
        GatewaySubscriber s;
        try {
            s = new GatewaySubscriber(options, listener);
        } catch (MqttException e) {
            throw new IOException("subscriber cannot be created for " + options + ": " + e.getMessage(), e);
        }
        s.listenerThread.start();
        try {
            MqttConnectOptions connect = Connections.options(options.serverUri(), options.username(), options.password(),
                    options.tls(), 2_000, options.cleanSession());
            connect.setMaxInflight(1000);
            s.client.setCallback(s.new Callback());
            s.client.connect(connect);
            s.connected = true;
            s.subscribe();
        } catch (MqttException | RuntimeException e) {
            s.close();
            throw new IOException("subscriber cannot connect to " + options.serverUri() + ": " + Tls.explain(e, options.serverUri().startsWith("ssl://")), e);
        }
        return s;
    }

    /** {@code cardiogate/v1/<gatewayId>/#}. */
    public static String gatewayFilter(String gatewayId) {
        return MqttTopics.ROOT + "/" + MqttTopics.requireLevel("gatewayId", gatewayId) + "/#";
    }

    private void subscribe() throws MqttException {
        String[] filters = options.filters().toArray(String[]::new);
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(filters, qos);
    }

    public boolean isConnected() {
        return connected;
    }

    /** Messages received, duplicates included. */
    public long receivedCount() {
        return received.get();
    }

    /** Duplicates detected and dropped, all topics. */
    public long duplicateCount() {
        return duplicates.get();
    }

    /** Seqs still missing, all topics. */
    public long missingCount() {
        long total = 0;
        for (SeqTracker t : trackers.values()) {
            total += t.missingCount();
        }
        return total;
    }

    /** Messages dropped because the listener fell {@value #QUEUE_CAPACITY} messages behind. */
    public long overflowCount() {
        return overflow.get();
    }

    /** The tracker of one topic, or {@code null} if nothing arrived on it. */
    public SeqTracker tracker(String topic) {
        return trackers.get(topic);
    }

    /** A snapshot of every tracked topic. */
    public Map<String, SeqTracker> trackers() {
        return new TreeMap<>(trackers);
    }

    /** Publishes a message (a command, for example) through this subscriber's connection, QoS 1. */
    public void publish(String topic, byte[] payload) throws IOException {
        try {
            client.publish(topic, payload, 1, false);
        } catch (MqttException e) {
            throw new IOException("publish to " + topic + " failed: " + e.getMessage(), e);
        }
    }

    /** Decodes a message of contract v1. Never throws: an undecodable payload gives a message with {@code error} set. */
    public static Message decode(String topic, byte[] payload, boolean retained, long receivedNanos) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 4 || !levels[0].equals("cardiogate") || !levels[1].equals("v" + MqttTopics.VERSION)) {
            return new Message(topic, Kind.OTHER, null, null, -1, null, 0, retained, null, null,
                    "not a contract v1 topic", receivedNanos);
        }
        String gateway = levels[2];
        Kind kind;
        String stream = null;
        if (levels.length == 4) {
            kind = switch (levels[3]) {
                case "status" -> Kind.STATUS;
                case "stats" -> Kind.STATS;
                case "replies" -> Kind.REPLY;
                default -> Kind.OTHER;
            };
        } else if (levels.length == 5 && levels[3].equals("commands")) {
            kind = Kind.COMMAND;
        } else if (levels.length == 6 && levels[3].equals("streams")) {
            stream = levels[4];
            kind = switch (levels[5]) {
                case "vitals" -> Kind.VITALS;
                case "beats" -> Kind.BEATS;
                case "events" -> Kind.EVENTS;
                case "waveform" -> Kind.WAVEFORM;
                default -> Kind.OTHER;
            };
        } else {
            kind = Kind.OTHER;
        }
        if (kind == Kind.WAVEFORM) {
            try {
                WaveformMessage w = WaveformMessage.decode(payload);
                return new Message(topic, kind, gateway, stream, w.seq(), null, 0, retained, null, w, null, receivedNanos);
            } catch (IllegalArgumentException e) {
                return new Message(topic, kind, gateway, stream, -1, null, 0, retained, null, null, e.getMessage(),
                        receivedNanos);
            }
        }
        try {
            JsonNode json = JSON.readTree(payload);
            long seq = json != null && json.hasNonNull("seq") ? json.get("seq").asLong() : -1;
            return new Message(topic, kind, gateway, stream, seq, null, 0, retained, json, null, null, receivedNanos);
        } catch (IOException e) {
            return new Message(topic, kind, gateway, stream, -1, null, 0, retained, null, null,
                    "payload is not JSON: " + e.getMessage(), receivedNanos);
        }
    }

    private void arrived(String topic, MqttMessage m) {
        long now = System.nanoTime();
        received.incrementAndGet();
        Message message = decode(topic, m.getPayload(), m.isRetained(), now);
        if (message.streamId() != null && message.seq() >= 0) {
            SeqTracker tracker = trackers.computeIfAbsent(topic, t -> new SeqTracker());
            SeqTracker.Verdict verdict;
            long gap;
            synchronized (tracker) {
                verdict = tracker.accept(message.seq());
                gap = tracker.lastGap();
            }
            if (verdict == SeqTracker.Verdict.DUPLICATE) {
                duplicates.incrementAndGet();
                return;
            }
            message = new Message(message.topic(), message.kind(), message.gatewayId(), message.streamId(),
                    message.seq(), verdict, gap, message.retained(), message.json(), message.waveform(), message.error(),
                    now);
        }
        if (!handoff.offer(message)) {
            overflow.incrementAndGet();
        }
    }

    private void runListener() {
        while (running || !handoff.isEmpty()) {
            try {
                Message m = handoff.poll(50, TimeUnit.MILLISECONDS);
                if (m != null) {
                    listener.onMessage(m);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("subscriber listener failed on a message", e);
            }
        }
    }

    /** Disconnects (the persistent session stays at the broker) and delivers what is already queued. */
    @Override
    public void close() {
        connected = false;
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("subscriber {} did not disconnect cleanly: {}", options.clientId(), e.getMessage());
        }
        running = false;
        try {
            listenerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connected = true;
            if (reconnect && options.cleanSession()) {
                Thread.ofVirtual().start(() -> {
                    try {
                        subscribe();
                    } catch (MqttException e) {
                        LOG.warn("subscriber {} could not subscribe again: {}", options.clientId(), e.getMessage());
                    }
                });
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            LOG.warn("subscriber {} lost its connection: {}", options.clientId(), Tls.explain(cause));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            arrived(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    // ---- writing ----

    /**
     * A listener writing one JSON object per line: {@code topic}, {@code kind}, {@code gatewayId}, {@code streamId},
     * {@code seq}, {@code verdict}, {@code gap}, {@code retained}, and {@code payload} (the JSON message, or for a
     * waveform its header fields and, with {@code samples}, the decoded sample values); {@code gap} appears on the message that revealed missing seqs. Duplicates never reach
     * it. Not thread-safe; the subscriber calls it from one
     * thread.
     */
    public static Listener jsonLines(OutputStream out, boolean samples) {
        PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
        return m -> {
            try {
                java.io.StringWriter text = new java.io.StringWriter();
                try (JsonGenerator g = JSON.getFactory().createGenerator(text)) {
                    g.writeStartObject();
                    g.writeStringField("topic", m.topic());
                    g.writeStringField("kind", m.kind().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeStringField("gatewayId", m.gatewayId());
                    g.writeStringField("streamId", m.streamId());
                    if (m.seq() >= 0) {
                        g.writeNumberField("seq", m.seq());
                    }
                    if (m.verdict() != null) {
                        g.writeStringField("verdict", m.verdict().name().toLowerCase(java.util.Locale.ROOT));
                    }
                    if (m.gap() > 0) {
                        g.writeNumberField("gap", m.gap());
                    }
                    g.writeBooleanField("retained", m.retained());
                    if (m.error() != null) {
                        g.writeStringField("error", m.error());
                    }
                    if (m.json() != null) {
                        g.writeFieldName("payload");
                        JSON.writeTree(g, m.json());
                    } else if (m.waveform() != null) {
                        WaveformMessage w = m.waveform();
                        g.writeObjectFieldStart("payload");
                        g.writeNumberField("first_sample", w.firstSample());
                        g.writeNumberField("t_ns", w.timestampNanos());
                        g.writeNumberField("ts_ms", w.wallMillis());
                        g.writeNumberField("rate_hz", w.sampleRateHz());
                        g.writeNumberField("channels", w.channelCount());
                        g.writeNumberField("length", w.length());
                        if (samples) {
                            g.writeArrayFieldStart("samples");
                            for (double[] channel : w.samples()) {
                                g.writeStartArray();
                                for (double v : channel) {
                                    if (Double.isNaN(v)) {
                                        g.writeNull();
                                    } else {
                                        g.writeNumber((float) v);
                                    }
                                }
                                g.writeEndArray();
                            }
                            g.writeEndArray();
                        }
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                print.println(text);
                print.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Command line: {@code GatewaySubscriber --broker tcp://host:1883 [--gateway ID]... [--filter F]... [--out FILE]
     * [--samples] [--client-id ID] [--user U --password-file F] [--ca PEM [--cert PEM --key PEM]] [--clean]}.
     * Writes JSON lines (see {@link #jsonLines}) to FILE or standard output until interrupted, then a summary of
     * duplicates and missing seqs per topic on standard error.
     */
    public static void main(String[] args) throws Exception {
        String broker = null;
        String clientId = "cardiogate-subscriber-" + ProcessHandle.current().pid();
        String user = null;
        Path passwordFile = null;
        Path ca = null;
        Path cert = null;
        Path key = null;
        Path out = null;
        boolean samples = false;
        boolean clean = false;
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--samples" -> samples = true;
                case "--clean" -> clean = true;
                case "--broker", "--gateway", "--filter", "--out", "--client-id", "--user", "--password-file", "--ca",
                     "--cert", "--key" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--broker" -> broker = v;
                        case "--gateway" -> filters.add(gatewayFilter(v));
                        case "--filter" -> filters.add(v);
                        case "--out" -> out = Path.of(v);
                        case "--client-id" -> clientId = v;
                        case "--user" -> user = v;
                        case "--password-file" -> passwordFile = Path.of(v);
                        case "--ca" -> ca = Path.of(v);
                        case "--cert" -> cert = Path.of(v);
                        default -> key = Path.of(v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (broker == null) {
            throw new IllegalArgumentException("--broker tcp://host:port (or ssl://) is required");
        }
        Options options = Options.of(broker, clientId).withCleanSession(clean);
        if (!filters.isEmpty()) {
            options = options.withFilters(filters);
        }
        if (user != null) {
            options = options.withCredentials(user, passwordFile == null ? null
                    : Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
        }
        if (ca != null || cert != null) {
            options = options.withTls(new TlsSettings(ca, cert, key));
        }
        OutputStream sink = out == null ? System.out : Files.newOutputStream(out, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        GatewaySubscriber subscriber = connect(options, jsonLines(sink, samples));
        Thread done = new Thread(() -> {
            subscriber.close();
            for (Map.Entry<String, SeqTracker> e : subscriber.trackers().entrySet()) {
                SeqTracker t = e.getValue();
                System.err.printf("%s: %d received, seq %d..%d, %d duplicates dropped, %d missing%s%n", e.getKey(),
                        t.uniqueCount(), t.first(), t.highest(), t.duplicateCount(), t.missingCount(),
                        t.missingCount() == 0 ? "" : " (" + t.describeMissing(10) + ")");
            }
        });
        Runtime.getRuntime().addShutdownHook(done);
        Thread.currentThread().join();
    }
}
