package org.cardiogate.mqtt;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.Vital;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes beats, vitals and events to an MQTT broker following contract v1 ({@link MqttTopics},
 * {@code docs/mqtt.md}).
 *
 * <h2>Threads</h2>
 * {@link #onBeat}, {@link #onVital} and {@link #onEvent} are called from the real-time DSP thread. They never block,
 * do no I/O and allocate nothing in steady state: each assigns the item its topic's next {@code seq}, stamps the
 * wall-clock time from the injected {@link Clock} and offers it to a bounded lock-free queue. When the queue is full
 * the item is dropped and counted per {@link Kind} ({@link #droppedCount(Kind)}); its {@code seq} is used up, so
 * subscribers see the loss as a gap. One sender thread ({@code mqtt-sender-<gatewayId>}) does everything else: it
 * connects, writes the JSON, publishes and logs. Paho's callbacks only flip flags and count.
 *
 * <h2>Connection</h2>
 * Paho {@link MqttAsyncClient}, MQTT 3.1.1, <b>clean session false</b> with in-memory client persistence: QoS 1
 * messages in flight when the connection breaks are sent again after the reconnect, so a subscriber may see a
 * {@code seq} twice (at least once) but not lose one that the broker did not acknowledge. Automatic reconnect with
 * back-off up to {@value #MAX_RECONNECT_DELAY_MS} ms; until the very first connection succeeds the sender thread
 * retries itself with the same back-off (Paho only reconnects connections it once had). While disconnected nothing
 * is taken from the queue, so the queue is the buffer and its capacity bounds the loss. On every (re)connect a
 * retained {@code {"state":"online"}} is published on {@code status} before any data; the last will, also retained,
 * is {@code {"state":"offline","reason":"connection_lost"}}; {@link #close()} sends what is queued (up to
 * {@value #DRAIN_TIMEOUT_MS} ms), then a retained {@code {"state":"offline","reason":"shutdown"}}, then disconnects.
 */
public final class MqttPublisher implements PipelineOutput, AutoCloseable {
    /** What is published; the index into the per-kind counters. */
    public enum Kind {
        VITAL, BEAT, EVENT
    }

    static final long MAX_RECONNECT_DELAY_MS = 10_000;
    static final long FIRST_RETRY_DELAY_MS = 250;
    static final long DRAIN_TIMEOUT_MS = 2_000;
    private static final int MAX_INFLIGHT = 256;
    private static final int CONNECT_TIMEOUT_S = 5;
    private static final int KEEP_ALIVE_S = 30;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final Function<String, AtomicLongArray> NEW_SEQ = streamId -> new AtomicLongArray(Kind.values().length);
    private static final Logger LOG = LoggerFactory.getLogger(MqttPublisher.class);

    private final MqttSettings settings;
    private final MqttTopics topics;
    private final Clock wallClock;
    private final OutputQueue queue;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Payloads payloads;
    private final ConcurrentHashMap<String, AtomicLongArray> seqByStream = new ConcurrentHashMap<>();
    private final AtomicLongArray dropped = new AtomicLongArray(Kind.values().length);
    private final AtomicLongArray published = new AtomicLongArray(Kind.values().length);
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicBoolean birthPending = new AtomicBoolean();
    private final IMqttActionListener[] deliveryListeners = new IMqttActionListener[Kind.values().length];
    private final Thread sender;
    private volatile boolean connected;
    private volatile boolean running = true;
    private volatile Throwable lastLossCause;

    // sender thread only
    private final Map<String, String[]> topicsByStream = new HashMap<>();
    private final Set<String> invalidStreams = new HashSet<>();

    private MqttPublisher(MqttSettings settings, Clock wallClock) throws MqttException {
        this.settings = settings;
        this.topics = new MqttTopics(settings.gatewayId());
        this.wallClock = wallClock;
        this.queue = new OutputQueue(settings.queueCapacity());
        this.payloads = new Payloads(settings.gatewayId());
        for (Kind kind : Kind.values()) {
            deliveryListeners[kind.ordinal()] = new DeliveryListener(kind);
        }
        this.options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) MAX_RECONNECT_DELAY_MS);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setKeepAliveInterval(KEEP_ALIVE_S);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setWill(topics.status(), payloads.status("offline", settings.clientId(), "connection_lost", Long.MIN_VALUE),
                MqttTopics.STATUS_QOS, true);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().toCharArray());
        }
        this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        client.setCallback(new ConnectionCallback());
        this.sender = new Thread(this::runSender, "mqtt-sender-" + settings.gatewayId());
        sender.setDaemon(true);
    }

    /**
     * Creates a publisher and starts its sender thread, which connects in the background: this returns at once even
     * when the broker is unreachable.
     *
     * @param wallClock source of the {@code ts} wall-clock field (UTC); the monotonic {@code t_ns} comes from the items
     * @throws IllegalArgumentException if Paho rejects the settings (for example the client id)
     */
    public static MqttPublisher start(MqttSettings settings, Clock wallClock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(wallClock, "wallClock");
        MqttPublisher publisher;
        try {
            publisher = new MqttPublisher(settings, wallClock);
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("MQTT publisher cannot be created for " + settings + ": " + e.getMessage(), e);
        }
        publisher.sender.start();
        return publisher;
    }

    /** Queues a vital for {@code streams/<streamId>/vitals}. DSP thread; never blocks. */
    @Override
    public void onVital(Vital vital) {
        offer(vital, vital == null ? null : vital.streamId(), Kind.VITAL);
    }

    /** Queues a beat for {@code streams/<streamId>/beats}. DSP thread; never blocks. */
    @Override
    public void onBeat(Beat beat) {
        offer(beat, beat == null ? null : beat.streamId(), Kind.BEAT);
    }

    /** Queues an event for {@code streams/<streamId>/events}. DSP thread; never blocks. */
    @Override
    public void onEvent(CardiacEvent event) {
        offer(event, event == null ? null : event.streamId(), Kind.EVENT);
    }

    private void offer(Object item, String streamId, Kind kind) {
        if (streamId == null) {
            rejected.incrementAndGet();
            return;
        }
        AtomicLongArray seqs = seqByStream.get(streamId);
        if (seqs == null) {
            seqs = seqByStream.computeIfAbsent(streamId, NEW_SEQ);
        }
        long seq = seqs.incrementAndGet(kind.ordinal());
        if (!running || !queue.offer(item, wallClock.millis(), seq)) {
            dropped.incrementAndGet(kind.ordinal());
        }
    }

    public MqttTopics topics() {
        return topics;
    }

    /** Whether the client is connected to the broker right now. */
    public boolean isConnected() {
        return connected;
    }

    /** Messages of this kind the broker acknowledged (QoS 1), counted once even if sent twice. */
    public long publishedCount(Kind kind) {
        return published.get(kind.ordinal());
    }

    public long publishedCount() {
        return sum(published);
    }

    /** Items of this kind lost before reaching the broker: queue full, or still queued at {@link #close()}. */
    public long droppedCount(Kind kind) {
        return dropped.get(kind.ordinal());
    }

    public long droppedCount() {
        return sum(dropped);
    }

    /** Items refused because they cannot be published: {@code null}, or a stream id that is not a topic level. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Messages the client or broker refused for another reason than a lost connection (logged). */
    public long failedCount() {
        return failed.get();
    }

    /** Items waiting in the queue (approximate while the DSP thread is offering). */
    public int queuedCount() {
        return queue.size();
    }

    /** The queue's capacity, from {@link MqttSettings#queueCapacity()}. */
    public int queueCapacity() {
        return queue.capacity();
    }

    private static long sum(AtomicLongArray counters) {
        long total = 0;
        for (int i = 0; i < counters.length(); i++) {
            total += counters.get(i);
        }
        return total;
    }

    /**
     * Sends what is queued while connected (at most {@value #DRAIN_TIMEOUT_MS} ms), publishes the retained offline
     * status, disconnects and stops the sender thread. Items offered afterwards are counted as dropped.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(sender);
        try {
            sender.join(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_S) + DRAIN_TIMEOUT_MS + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            LOG.warn("MQTT sender thread for {} did not stop in time", settings.gatewayId());
        }
    }

    // ---- sender thread ----

    private void runSender() {
        long retryDelayMs = FIRST_RETRY_DELAY_MS;
        long loggedConnections = 0;
        boolean everConnected = false;
        boolean lossLogged = true;
        Object pending = null;
        String pendingTopic = null;
        byte[] pendingPayload = null;
        Kind pendingKind = null;
        try {
            while (running) {
                long n = connections.get();
                if (n != loggedConnections) {
                    loggedConnections = n;
                    lossLogged = false;
                    LOG.info("MQTT connected to {} as {} (connection {})", settings.serverUri(), settings.clientId(), n);
                }
                if (!everConnected) {
                    if (connectFirstTime(retryDelayMs)) {
                        everConnected = true;
                    } else {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(retryDelayMs));
                        retryDelayMs = Math.min(retryDelayMs * 2, MAX_RECONNECT_DELAY_MS);
                    }
                    continue;
                }
                if (!connected) {
                    if (!lossLogged) {
                        lossLogged = true;
                        Throwable cause = lastLossCause;
                        LOG.warn("MQTT connection to {} lost ({}); reconnecting, {} items queued", settings.serverUri(),
                                cause == null ? "unknown cause" : cause.toString(), queue.size());
                    }
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                    continue;
                }
                if (birthPending.getAndSet(false)) {
                    if (!publishStatus("online", null)) {
                        birthPending.set(true);
                        LockSupport.parkNanos(IDLE_PARK_NANOS);
                    }
                    continue;
                }
                if (pending == null) {
                    Object item = queue.poll();
                    if (item == null) {
                        LockSupport.parkNanos(IDLE_PARK_NANOS);
                        continue;
                    }
                    pendingKind = kindOf(item);
                    pendingTopic = topicFor(item, pendingKind);
                    if (pendingTopic == null) {
                        rejected.incrementAndGet();
                        continue;
                    }
                    pendingPayload = payloadFor(item, queue.polledSeq(), queue.polledWallMillis());
                    pending = item;
                }
                if (publish(pendingTopic, pendingPayload, pendingKind)) {
                    pending = null;
                } else {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
            shutDown(pending, pendingTopic, pendingPayload, pendingKind);
        } catch (RuntimeException | Error e) {
            LOG.error("MQTT sender thread for {} failed", settings.gatewayId(), e);
            running = false;
            throw e;
        }
    }

    private boolean connectFirstTime(long retryDelayMs) {
        try {
            client.connect(options).waitForCompletion();
            return true;
        } catch (MqttException e) {
            if (retryDelayMs == FIRST_RETRY_DELAY_MS || retryDelayMs == MAX_RECONNECT_DELAY_MS) {
                LOG.warn("MQTT cannot connect to {} as {}: {} (reason {}); retrying every {} ms or less",
                        settings.serverUri(), settings.clientId(), e.getMessage(), e.getReasonCode(), MAX_RECONNECT_DELAY_MS);
            }
            return false;
        }
    }

    /**
     * Hands one message to Paho.
     *
     * @return true when it is done with (accepted, or refused for good and counted); false to try it again later
     */
    private boolean publish(String topic, byte[] payload, Kind kind) {
        try {
            client.publish(topic, payload, qos(kind), false, null, deliveryListeners[kind.ordinal()]);
            return true;
        } catch (MqttException e) {
            if (isTransient(e)) {
                return false;
            }
            failed.incrementAndGet();
            LOG.warn("MQTT publish to {} refused: {} (reason {})", topic, e.getMessage(), e.getReasonCode());
            return true;
        }
    }

    private static boolean isTransient(MqttException e) {
        int reason = e.getReasonCode();
        return reason == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                || reason == MqttException.REASON_CODE_CONNECTION_LOST
                || reason == MqttException.REASON_CODE_MAX_INFLIGHT
                || reason == MqttException.REASON_CODE_CLIENT_DISCONNECTING
                || reason == MqttException.REASON_CODE_CONNECT_IN_PROGRESS
                || reason == MqttException.REASON_CODE_NO_MESSAGE_IDS_AVAILABLE;
    }

    private boolean publishStatus(String state, String reason) {
        byte[] payload = payloads.status(state, settings.clientId(), reason, wallClock.millis());
        try {
            client.publish(topics.status(), payload, MqttTopics.STATUS_QOS, true);
            return true;
        } catch (MqttException e) {
            if (!isTransient(e)) {
                failed.incrementAndGet();
                LOG.warn("MQTT status '{}' refused: {} (reason {})", state, e.getMessage(), e.getReasonCode());
                return true;
            }
            return false;
        }
    }

    private static Kind kindOf(Object item) {
        if (item instanceof Beat) {
            return Kind.BEAT;
        }
        if (item instanceof Vital) {
            return Kind.VITAL;
        }
        return Kind.EVENT;
    }

    private static int qos(Kind kind) {
        return switch (kind) {
            case VITAL -> MqttTopics.VITALS_QOS;
            case BEAT -> MqttTopics.BEATS_QOS;
            case EVENT -> MqttTopics.EVENTS_QOS;
        };
    }

    private String topicFor(Object item, Kind kind) {
        String streamId = switch (kind) {
            case BEAT -> ((Beat) item).streamId();
            case VITAL -> ((Vital) item).streamId();
            case EVENT -> ((CardiacEvent) item).streamId();
        };
        String[] byKind = topicsByStream.get(streamId);
        if (byKind == null) {
            if (invalidStreams.contains(streamId)) {
                return null;
            }
            try {
                byKind = new String[Kind.values().length];
                byKind[Kind.VITAL.ordinal()] = topics.vitals(streamId);
                byKind[Kind.BEAT.ordinal()] = topics.beats(streamId);
                byKind[Kind.EVENT.ordinal()] = topics.events(streamId);
            } catch (IllegalArgumentException e) {
                invalidStreams.add(streamId);
                LOG.error("MQTT: items of stream '{}' are not published: {}", streamId, e.getMessage());
                return null;
            }
            topicsByStream.put(streamId, byKind);
        }
        return byKind[kind.ordinal()];
    }

    private byte[] payloadFor(Object item, long seq, long wallMillis) {
        if (item instanceof Beat b) {
            return payloads.beat(b, seq, wallMillis);
        }
        if (item instanceof Vital v) {
            return payloads.vital(v, seq, wallMillis);
        }
        return payloads.event((CardiacEvent) item, seq, wallMillis);
    }

    private void shutDown(Object pending, String pendingTopic, byte[] pendingPayload, Kind pendingKind) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        while (connected && System.nanoTime() < deadline) {
            if (pending == null) {
                Object item = queue.poll();
                if (item == null) {
                    break;
                }
                pendingKind = kindOf(item);
                pendingTopic = topicFor(item, pendingKind);
                if (pendingTopic == null) {
                    rejected.incrementAndGet();
                    continue;
                }
                pendingPayload = payloadFor(item, queue.polledSeq(), queue.polledWallMillis());
                pending = item;
            }
            if (publish(pendingTopic, pendingPayload, pendingKind)) {
                pending = null;
            } else {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        if (pending != null) {
            dropped.incrementAndGet(pendingKind.ordinal());
        }
        for (Object item = queue.poll(); item != null; item = queue.poll()) {
            dropped.incrementAndGet(kindOf(item).ordinal());
        }
        try {
            if (connected) {
                IMqttDeliveryToken offline = client.publish(topics.status(),
                        payloads.status("offline", settings.clientId(), "shutdown", wallClock.millis()),
                        MqttTopics.STATUS_QOS, true);
                offline.waitForCompletion(DRAIN_TIMEOUT_MS);
                client.disconnect(DRAIN_TIMEOUT_MS).waitForCompletion(DRAIN_TIMEOUT_MS + 1_000);
            }
        } catch (MqttException e) {
            LOG.warn("MQTT clean disconnect from {} failed: {}", settings.serverUri(), e.getMessage());
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.warn("MQTT client for {} did not close cleanly: {}", settings.serverUri(), e.getMessage());
        }
        connected = false;
        LOG.info("MQTT publisher {} closed: published {}, dropped {}, rejected {}, failed {}", settings.clientId(),
                publishedCount(), droppedCount(), rejectedCount(), failedCount());
    }

    /** Paho callback thread: flags and counters only. */
    private final class ConnectionCallback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            birthPending.set(true);
            connected = true;
            connections.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            lastLossCause = cause;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    /** Paho callback thread: counts a completed delivery. */
    private final class DeliveryListener implements IMqttActionListener {
        private final Kind kind;

        DeliveryListener(Kind kind) {
            this.kind = kind;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            published.incrementAndGet(kind.ordinal());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            failed.incrementAndGet();
        }
    }
}
