package org.cardiogate.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.SampleBlock;
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
 * Publishes beats, vitals, events and waveforms to an MQTT broker through a durable store-and-forward outbox,
 * following contract v1 ({@link MqttTopics}, {@code docs/mqtt.md}).
 *
 * <h2>Threads</h2>
 * {@link #onBeat}, {@link #onVital}, {@link #onEvent} and {@link #publishWaveform} may be called from any thread (the
 * gateway calls them from its output thread). They never block and do no I/O: each stamps the wall-clock time from the
 * injected {@link Clock} and offers the item to a bounded lock-free in-memory queue ({@link MqttSettings#queueCapacity()});
 * the beat, vital and event calls allocate nothing, {@link #publishWaveform} allocates the encoded message (one array
 * per block, nothing per sample). When the queue is full the item is dropped and counted, and its topic's next
 * {@code seq} skips a number so consumers see the gap. One outbox thread ({@code mqtt-outbox-<gatewayId>}) does
 * everything else: it numbers each item ({@code seq}, persisted), encodes it, appends it to the {@link Outbox} journal,
 * connects, publishes by lane priority, records the broker's acknowledgements and deletes acknowledged segments.
 * Paho's callbacks only flip flags and queue acknowledgements; commands are handed to a command thread.
 *
 * <h2>What a crash loses</h2>
 * A record is in the journal file (the OS page cache) before it can be sent, so killing the process loses only the
 * items still in the in-memory queue: at most {@link MqttSettings#queueCapacity()} items, in practice what the caller
 * offered in the last millisecond or so (the outbox thread drains the queue continuously). Those items never received
 * a {@code seq}. A power failure can also lose what was appended since the last forced sync
 * ({@link MqttSettings#syncIntervalMillis()}; events are forced at once).
 *
 * <h2>Sending</h2>
 * Clean session, QoS 1 for every data message: the outbox, not the broker session, is the buffer. On every
 * (re)connect a retained {@code online} status goes first; then, in each round: live and backlog events (not rate
 * limited), then live vitals, beats and waveforms (items produced since the connection came up, newest lanes first by
 * priority), then backlog vitals, beats and waveforms at {@link MqttSettings#backfillPerSecond()} messages per second.
 * A record is deleted only after the broker's PUBACK. After a reconnect or restart a record whose PUBACK was lost is
 * sent again (same {@code seq}: consumers drop the duplicate).
 */
public final class MqttPublisher implements PipelineOutput, AutoCloseable {
    /** What is published; the index into the per-kind counters. */
    public enum Kind {
        VITAL, BEAT, EVENT, WAVEFORM
    }

    static final long FIRST_RETRY_DELAY_MS = 250;
    static final long DRAIN_TIMEOUT_MS = 2_000;
    static final int MAX_INFLIGHT = 1000;
    private static final int LIVE_CAP = 4096;
    private static final int SEND_BATCH = 512;
    private static final int DRAIN_BATCH = 4096;
    private static final long MAINTAIN_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MIN_STATS_GAP_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long INDEX_MASK = (1L << 60) - 1;
    private static final int KINDS = Kind.values().length;
    private static final Function<String, AtomicLongArray> NEW_COUNTS = streamId -> new AtomicLongArray(KINDS);
    private static final Logger LOG = LoggerFactory.getLogger(MqttPublisher.class);

    private record WaveformItem(String streamId, byte[] message) {
    }

    private final MqttSettings settings;
    private final MqttTopics topics;
    private final Clock wallClock;
    /** Set by the outbox thread when it records an acknowledgement (ms since the epoch; 0: none yet). */
    private volatile long lastAckMillis;
    private final byte[] gatewayIdUtf8;
    private final OutputQueue queue;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Payloads payloads;
    private final Outbox outbox;
    private final boolean temporaryOutbox;
    private final ConcurrentHashMap<String, AtomicLongArray> dropsByStream = new ConcurrentHashMap<>();
    private final AtomicLongArray droppedQueue = new AtomicLongArray(KINDS);
    private final AtomicLongArray published = new AtomicLongArray(Lane.ALL.length);
    private final AtomicLongArray droppedDisk = new AtomicLongArray(Lane.ALL.length);
    private final AtomicLongArray droppedOnClose = new AtomicLongArray(Lane.ALL.length);
    private final AtomicLongArray pending = new AtomicLongArray(Lane.ALL.length);
    private final AtomicLong journaled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong commandsHandled = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> nacks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean connectInFlight = new AtomicBoolean();
    private final AtomicBoolean subscribePending = new AtomicBoolean();
    private final IMqttActionListener deliveryListener = new DeliveryListener();
    private final CommandProcessor commands;
    private final ThreadPoolExecutor commandThread;
    private final Thread outboxThread;
    private volatile boolean connected;
    private volatile boolean everConnected;
    private volatile boolean running = true;
    private volatile Throwable lastLossCause;
    private volatile String lastConnectionError;
    private volatile long nextConnectAttemptNanos;
    private volatile long retryDelayMs = FIRST_RETRY_DELAY_MS;

    // outbox thread only
    private final Map<String, String[]> topicsByStream = new HashMap<>();
    private final Set<String> invalidStreams = new HashSet<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<OutboxRecord>[] live = new ArrayDeque[Lane.ALL.length];
    private final OutboxRecord[] heldBackfill = new OutboxRecord[Lane.ALL.length];
    private long sessionEpoch;
    private boolean sessionActive;
    private boolean birthDone;
    private boolean blocked;
    private double backfillTokens;
    private long lastTokenNanos;
    private long lastSyncNanos;
    private long lastMaintainNanos;
    private long lastStatsNanos;
    private long statsDropsSeen;

    private MqttPublisher(MqttSettings settings, Clock wallClock, CommandPolicy policy, CommandHandler handler)
            throws MqttException {
        this.settings = settings;
        this.topics = new MqttTopics(settings.gatewayId());
        this.wallClock = wallClock;
        this.gatewayIdUtf8 = settings.gatewayId().getBytes(StandardCharsets.UTF_8);
        this.queue = new OutputQueue(settings.queueCapacity());
        this.payloads = new Payloads(settings.gatewayId());
        for (Lane lane : Lane.ALL) {
            live[lane.ordinal()] = new ArrayDeque<>();
        }
        this.options = Connections.options(settings.serverUri(), settings.username(), settings.password(),
                settings.tls(), settings.maxReconnectDelayMillis(), true);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setWill(topics.status(), payloads.status("offline", settings.clientId(), "connection_lost", Long.MIN_VALUE),
                MqttTopics.STATUS_QOS, true);
        this.temporaryOutbox = settings.outboxDir() == null;
        Path dir;
        try {
            dir = temporaryOutbox ? Files.createTempDirectory("cardiogate-outbox-") : settings.outboxDir();
        } catch (IOException e) {
            throw new UncheckedIOException("temporary MQTT outbox cannot be created", e);
        }
        this.outbox = Outbox.open(dir, settings.outboxBudgetBytes(), settings.segmentBytes());
        if (temporaryOutbox) {
            LOG.warn("MQTT publisher {}: no outbox directory configured; using {} which is deleted on close (nothing"
                    + " pending survives a restart)", settings.gatewayId(), dir);
        }
        try {
            this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | RuntimeException e) {
            outbox.close(true);
            throw e;
        }
        client.setCallback(new ConnectionCallback());
        if (handler != null) {
            this.commands = new CommandProcessor(topics, policy, handler, wallClock);
            this.commandThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
                    r -> {
                        Thread t = new Thread(r, "mqtt-commands-" + settings.gatewayId());
                        t.setDaemon(true);
                        return t;
                    });
        } else {
            this.commands = null;
            this.commandThread = null;
        }
        this.outboxThread = new Thread(this::runOutbox, "mqtt-outbox-" + settings.gatewayId());
        outboxThread.setDaemon(true);
    }

    /**
     * Creates a publisher without commands; see {@link #start(MqttSettings, Clock, CommandPolicy, CommandHandler)}.
     */
    public static MqttPublisher start(MqttSettings settings, Clock wallClock) {
        return start(settings, wallClock, null, null);
    }

    /**
     * Opens (and recovers) the outbox, then starts the outbox thread, which connects in the background: this returns
     * at once even when the broker is unreachable, and what is pending in the outbox is sent once it connects.
     *
     * @param wallClock source of the {@code ts} wall-clock field (UTC); the monotonic {@code t_ns} comes from the items
     * @param policy    tokens and allow-list for commands; with {@code handler}, or both {@code null} for no commands
     * @param handler   carries out commands on the command thread, or {@code null}
     * @throws IllegalArgumentException if Paho or the TLS files reject the settings (the message names the problem)
     * @throws IllegalStateException    if another publisher holds the outbox directory
     * @throws UncheckedIOException     if the outbox cannot be opened
     */
    public static MqttPublisher start(MqttSettings settings, Clock wallClock, CommandPolicy policy,
                                      CommandHandler handler) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(wallClock, "wallClock");
        if ((policy == null) != (handler == null)) {
            throw new IllegalArgumentException("MQTT commands need both a CommandPolicy and a CommandHandler");
        }
        MqttPublisher publisher;
        try {
            publisher = new MqttPublisher(settings, wallClock, policy, handler);
        } catch (MqttException e) {
            throw new IllegalArgumentException("MQTT publisher cannot be created for " + settings + ": " + e.getMessage(), e);
        }
        publisher.outboxThread.start();
        return publisher;
    }

    /** Queues a vital for {@code streams/<streamId>/vitals}. Any thread; never blocks, allocates nothing. */
    @Override
    public void onVital(Vital vital) {
        offer(vital, vital == null ? null : vital.streamId(), Kind.VITAL);
    }

    /** Queues a beat for {@code streams/<streamId>/beats}. Any thread; never blocks, allocates nothing. */
    @Override
    public void onBeat(Beat beat) {
        offer(beat, beat == null ? null : beat.streamId(), Kind.BEAT);
    }

    /** Queues an event for {@code streams/<streamId>/events}. Any thread; never blocks, allocates nothing. */
    @Override
    public void onEvent(CardiacEvent event) {
        offer(event, event == null ? null : event.streamId(), Kind.EVENT);
    }

    /**
     * Encodes a copy of the block's valid samples ({@link WaveformMessage}) and queues it for
     * {@code streams/<streamId>/waveform}. The block can be reused as soon as this returns. Any thread; never blocks;
     * allocates the message (about {@code 2 * channels * length} bytes), nothing per sample.
     */
    public void publishWaveform(SampleBlock block) {
        if (block == null) {
            rejected.incrementAndGet();
            return;
        }
        String streamId = block.stream().streamId();
        offer(new WaveformItem(streamId, WaveformMessage.encode(gatewayIdUtf8, block, wallClock.millis())), streamId,
                Kind.WAVEFORM);
    }

    private void offer(Object item, String streamId, Kind kind) {
        if (streamId == null) {
            rejected.incrementAndGet();
            return;
        }
        AtomicLongArray drops = dropsByStream.get(streamId);
        if (drops == null) {
            drops = dropsByStream.computeIfAbsent(streamId, NEW_COUNTS);
        }
        long dropsBefore = drops.get(kind.ordinal());
        if (!running || !queue.offer(item, wallClock.millis(), dropsBefore)) {
            drops.incrementAndGet(kind.ordinal());
            droppedQueue.incrementAndGet(kind.ordinal());
        }
    }

    public MqttTopics topics() {
        return topics;
    }

    /** Whether the client is connected to the broker right now. */
    public boolean isConnected() {
        return connected;
    }

    /** Why the last connection attempt or connection failed, in plain words (TLS problems named), or {@code null}. */
    public String lastConnectionError() {
        return lastConnectionError;
    }

    /** Wall-clock time of the broker's latest acknowledgement, or {@code null} before the first. */
    public java.time.Instant lastAcknowledgement() {
        long ms = lastAckMillis;
        return ms == 0 ? null : java.time.Instant.ofEpochMilli(ms);
    }

    /** Messages of this kind the broker acknowledged, counted once even if sent twice. */
    public long publishedCount(Kind kind) {
        return published.get(Lane.of(kind).ordinal());
    }

    public long publishedCount() {
        return sum(published);
    }

    /**
     * Items of this kind lost before reaching the broker: in-memory queue full or publisher closed, deleted by the disk
     * budget, or still pending when a publisher with a temporary outbox closed.
     */
    public long droppedCount(Kind kind) {
        int lane = Lane.of(kind).ordinal();
        return droppedQueue.get(kind.ordinal()) + droppedDisk.get(lane) + droppedOnClose.get(lane);
    }

    public long droppedCount() {
        long total = 0;
        for (Kind kind : Kind.values()) {
            total += droppedCount(kind);
        }
        return total;
    }

    /** Items of this kind dropped because the in-memory queue was full (or the publisher closed). */
    public long droppedFromQueueCount(Kind kind) {
        return droppedQueue.get(kind.ordinal());
    }

    /** Items of this kind deleted unsent to keep the outbox within its disk budget. */
    public long droppedByBudgetCount(Kind kind) {
        return droppedDisk.get(Lane.of(kind).ordinal());
    }

    /** Items refused because they cannot be published: {@code null}, or a stream id that is not a topic level. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** Messages the client or broker refused for another reason than a lost connection (logged). */
    public long failedCount() {
        return failed.get();
    }

    /** Items waiting in the in-memory queue (approximate while a producer is offering). */
    public int queuedCount() {
        return queue.size();
    }

    /** The in-memory queue's capacity, from {@link MqttSettings#queueCapacity()}. */
    public int queueCapacity() {
        return queue.capacity();
    }

    /** Items written to the outbox journal since start (they survive a crash of the process). */
    public long journaledCount() {
        return journaled.get();
    }

    /** Records of this kind in the outbox not yet acknowledged by the broker (updated by the outbox thread). */
    public long pendingCount(Kind kind) {
        return pending.get(Lane.of(kind).ordinal());
    }

    /** Records in the outbox not yet acknowledged by the broker, plus items in the in-memory queue. */
    public long pendingCount() {
        return sum(pending) + queue.size();
    }

    /** Commands answered with {@code ok} or {@code failed} by the handler (rejected ones are not counted). */
    public long commandsHandledCount() {
        return commandsHandled.get();
    }

    private static long sum(AtomicLongArray counters) {
        long total = 0;
        for (int i = 0; i < counters.length(); i++) {
            total += counters.get(i);
        }
        return total;
    }

    /**
     * Writes what is queued to the outbox, sends what is pending while connected (at most {@value #DRAIN_TIMEOUT_MS}
     * ms), publishes the retained offline status, disconnects and closes the outbox. What is still pending stays in a
     * durable outbox for the next start; with a temporary outbox it is counted as dropped. Items offered afterwards are
     * counted as dropped.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(outboxThread);
        try {
            outboxThread.join(TimeUnit.SECONDS.toMillis(Connections.CONNECT_TIMEOUT_S) + DRAIN_TIMEOUT_MS + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (outboxThread.isAlive()) {
            LOG.warn("MQTT outbox thread for {} did not stop in time", settings.gatewayId());
        }
        if (commandThread != null) {
            commandThread.shutdownNow();
        }
    }

    // ---- outbox thread ----

    private void runOutbox() {
        try {
            long loggedConnections = 0;
            boolean lossLogged = true;
            while (running) {
                boolean work = drain(DRAIN_BATCH);
                work |= processAcks();
                long n = connections.get();
                if (n != loggedConnections) {
                    loggedConnections = n;
                    lossLogged = false;
                    LOG.info("MQTT connected to {} as {} (connection {}); {} records pending in the outbox",
                            settings.serverUri(), settings.clientId(), n, outbox.pendingTotal());
                }
                if (!everConnected) {
                    connectIfDue();
                }
                if (connected) {
                    if (n != sessionEpoch) {
                        startSession(n);
                    }
                    work |= send();
                } else if (sessionActive) {
                    endSession();
                    if (!lossLogged) {
                        lossLogged = true;
                        Throwable cause = lastLossCause;
                        LOG.warn("MQTT connection to {} lost ({}); reconnecting, {} records pending in the outbox",
                                settings.serverUri(), cause == null ? "unknown cause" : Tls.explain(cause),
                                outbox.pendingTotal());
                    }
                }
                housekeeping(false);
                if (!work) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
            shutDown();
        } catch (RuntimeException | Error e) {
            LOG.error("MQTT outbox thread for {} failed", settings.gatewayId(), e);
            running = false;
            try {
                outbox.close(false);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void connectIfDue() {
        if (connectInFlight.get() || System.nanoTime() < nextConnectAttemptNanos) {
            return;
        }
        connectInFlight.set(true);
        try {
            client.connect(options, null, new FirstConnectListener());
        } catch (MqttException e) {
            connectFailed(e);
        }
    }

    private void connectFailed(Throwable e) {
        String explanation = Tls.explain(e, settings.serverUri().startsWith("ssl://"));
        boolean first = lastConnectionError == null || !explanation.equals(lastConnectionError);
        lastConnectionError = explanation;
        if (first || retryDelayMs >= settings.maxReconnectDelayMillis()) {
            LOG.warn("MQTT cannot connect to {} as {}: {}; retrying every {} ms or less", settings.serverUri(),
                    settings.clientId(), explanation, settings.maxReconnectDelayMillis());
        }
        nextConnectAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryDelayMs);
        retryDelayMs = Math.min(retryDelayMs * 2, settings.maxReconnectDelayMillis());
        connectInFlight.set(false);
    }

    /** Moves items from the in-memory queue into the journal, numbering them. */
    private boolean drain(int max) {
        int appended = 0;
        int polled = 0;
        boolean event = false;
        for (; polled < max; polled++) {
            Object item = queue.poll();
            if (item == null) {
                break;
            }
            Kind kind = kindOf(item);
            String topic = topicFor(item, kind);
            if (topic == null) {
                rejected.incrementAndGet();
                continue;
            }
            long seq = outbox.sequences().next(topic, queue.polledTag());
            byte[] payload = payloadFor(item, seq, queue.polledWallMillis());
            Lane lane = Lane.of(kind);
            OutboxRecord record = outbox.append(lane, topic, seq, qos(kind), payload);
            if (record == null) {
                continue;
            }
            appended++;
            event |= lane == Lane.EVENTS;
            if (sessionActive) {
                ArrayDeque<OutboxRecord> q = live[lane.ordinal()];
                if (q.size() < LIVE_CAP) {
                    q.add(record);
                } else {
                    outbox.extendBackfill(lane, record.index());
                }
            }
        }
        if (appended > 0) {
            outbox.flush();
            if (event || settings.syncIntervalMillis() == 0) {
                outbox.sync();
                lastSyncNanos = System.nanoTime();
            }
            journaled.addAndGet(appended);
        }
        if (polled > 0) {
            updatePending();
        }
        return polled > 0;
    }

    private boolean processAcks() {
        boolean any = false;
        for (Long a = acks.poll(); a != null; a = acks.poll()) {
            Lane lane = Lane.ALL[(int) (a >>> 60)];
            if (outbox.acknowledge(lane, a & INDEX_MASK)) {
                published.incrementAndGet(lane.ordinal());
            }
            lastAckMillis = wallClock.millis();
            any = true;
        }
        for (Long a = nacks.poll(); a != null; a = nacks.poll()) {
            outbox.unmarkSent(Lane.ALL[(int) (a >>> 60)], a & INDEX_MASK);
            any = true;
        }
        if (any) {
            updatePending();
        }
        return any;
    }

    private void updatePending() {
        for (Lane lane : Lane.ALL) {
            pending.set(lane.ordinal(), outbox.pending(lane));
            droppedDisk.set(lane.ordinal(), outbox.droppedByBudget(lane));
        }
    }

    private void startSession(long epoch) {
        sessionEpoch = epoch;
        sessionActive = true;
        birthDone = false;
        for (Lane lane : Lane.ALL) {
            live[lane.ordinal()].clear();
            heldBackfill[lane.ordinal()] = null;
        }
        outbox.restartSending();
        backfillTokens = 0;
        lastTokenNanos = System.nanoTime();
        subscribePending.set(commands != null);
    }

    private void endSession() {
        sessionActive = false;
        for (Lane lane : Lane.ALL) {
            live[lane.ordinal()].clear();
            heldBackfill[lane.ordinal()] = null;
        }
    }

    /** One round of sending by priority; returns whether anything was sent. */
    private boolean send() {
        if (!birthDone) {
            byte[] birth = payloads.status("online", settings.clientId(), null, wallClock.millis(), outbox.boot(),
                    outbox.previousShutdownClean());
            if (!publishDirect(topics.status(), birth, MqttTopics.STATUS_QOS, true)) {
                return false;
            }
            birthDone = true;
            lastStatsNanos = 0;
        }
        if (subscribePending.getAndSet(false)) {
            subscribeCommands();
        }
        blocked = false;
        int sent = sendLive(Lane.EVENTS, SEND_BATCH);
        sent += sendBackfill(Lane.EVENTS, SEND_BATCH - sent, false);
        for (int l = Lane.VITALS.ordinal(); l < Lane.ALL.length && !blocked; l++) {
            sent += sendLive(Lane.ALL[l], SEND_BATCH - sent);
        }
        long now = System.nanoTime();
        int rate = settings.backfillPerSecond();
        backfillTokens = Math.min(rate, backfillTokens + rate * ((now - lastTokenNanos) / 1e9));
        lastTokenNanos = now;
        for (int l = Lane.VITALS.ordinal(); l < Lane.ALL.length && !blocked; l++) {
            sent += sendBackfill(Lane.ALL[l], SEND_BATCH - sent, true);
        }
        return sent > 0;
    }

    private int sendLive(Lane lane, int max) {
        ArrayDeque<OutboxRecord> q = live[lane.ordinal()];
        int sent = 0;
        while (sent < max && !blocked) {
            OutboxRecord r = q.peekFirst();
            if (r == null) {
                break;
            }
            if (outbox.isDone(lane, r.index())) {
                q.pollFirst();
                continue;
            }
            if (publishRecord(r)) {
                q.pollFirst();
                sent++;
            }
        }
        return sent;
    }

    private int sendBackfill(Lane lane, int max, boolean limited) {
        int sent = 0;
        while (sent < max && !blocked && (!limited || backfillTokens >= 1)) {
            OutboxRecord r = heldBackfill[lane.ordinal()];
            heldBackfill[lane.ordinal()] = null;
            if (r == null) {
                if (!outbox.hasBackfill(lane)) {
                    break;
                }
                r = outbox.nextBackfill(lane);
                if (r == null) {
                    break;
                }
            }
            if (outbox.isDone(lane, r.index())) {
                continue;
            }
            if (publishRecord(r)) {
                sent++;
                if (limited) {
                    backfillTokens -= 1;
                }
            } else {
                heldBackfill[lane.ordinal()] = r;
            }
        }
        return sent;
    }

    /** Hands a record to Paho; false (and {@link #blocked}) when it must be tried again later. */
    private boolean publishRecord(OutboxRecord r) {
        try {
            client.publish(r.topic(), r.payload(), r.qos(), false, ((long) r.lane().ordinal() << 60) | r.index(),
                    deliveryListener);
            outbox.markSent(r.lane(), r.index());
            return true;
        } catch (MqttException e) {
            if (isTransient(e)) {
                blocked = true;
                return false;
            }
            failed.incrementAndGet();
            LOG.warn("MQTT publish to {} refused: {} (reason {}); record dropped", r.topic(), e.getMessage(),
                    e.getReasonCode());
            outbox.acknowledge(r.lane(), r.index());
            return true;
        }
    }

    private boolean publishDirect(String topic, byte[] payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload, qos, retained);
            return true;
        } catch (MqttException e) {
            if (!isTransient(e)) {
                failed.incrementAndGet();
                LOG.warn("MQTT publish to {} refused: {} (reason {})", topic, e.getMessage(), e.getReasonCode());
                return true;
            }
            return false;
        }
    }

    private void subscribeCommands() {
        try {
            client.subscribe(topics.commandsFilter(), MqttTopics.COMMANDS_QOS, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    LOG.info("MQTT gateway {} accepts commands on {}", settings.gatewayId(), topics.commandsFilter());
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    LOG.warn("MQTT subscription to {} failed: {}", topics.commandsFilter(), exception.toString());
                    subscribePending.set(true);
                }
            });
        } catch (MqttException e) {
            subscribePending.set(true);
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

    private void housekeeping(boolean force) {
        long now = System.nanoTime();
        if (force || now - lastSyncNanos >= TimeUnit.MILLISECONDS.toNanos(settings.syncIntervalMillis())) {
            outbox.sync();
            lastSyncNanos = now;
        }
        if (force || now - lastMaintainNanos >= MAINTAIN_INTERVAL_NS) {
            outbox.maintain();
            updatePending();
            lastMaintainNanos = now;
        }
        if (connected && birthDone) {
            long drops = droppedCount();
            boolean due = now - lastStatsNanos >= TimeUnit.MILLISECONDS.toNanos(settings.statsIntervalMillis())
                    || lastStatsNanos == 0;
            boolean changed = drops != statsDropsSeen && now - lastStatsNanos >= MIN_STATS_GAP_NS;
            if (due || changed) {
                if (publishDirect(topics.stats(), statsPayload(), MqttTopics.STATS_QOS, true)) {
                    lastStatsNanos = now;
                    statsDropsSeen = drops;
                }
            }
        }
    }

    private byte[] statsPayload() {
        long[] pend = new long[Lane.ALL.length];
        long[] pub = new long[Lane.ALL.length];
        long[] queueDrops = new long[Lane.ALL.length];
        long[] diskDrops = new long[Lane.ALL.length];
        for (Lane lane : Lane.ALL) {
            pend[lane.ordinal()] = outbox.pending(lane);
            pub[lane.ordinal()] = published.get(lane.ordinal());
            diskDrops[lane.ordinal()] = outbox.droppedByBudget(lane);
        }
        for (Kind kind : Kind.values()) {
            queueDrops[Lane.of(kind).ordinal()] += droppedQueue.get(kind.ordinal());
        }
        return payloads.stats(outbox.boot(), outbox.previousShutdownClean(), connected, outbox.totalBytes(),
                outbox.budgetBytes(), pend, pub, queueDrops, diskDrops, outbox.overBudgetEvents(), rejected.get(),
                wallClock.millis());
    }

    private static Kind kindOf(Object item) {
        if (item instanceof WaveformItem) {
            return Kind.WAVEFORM;
        }
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
            case WAVEFORM -> MqttTopics.WAVEFORM_QOS;
        };
    }

    private String topicFor(Object item, Kind kind) {
        String streamId = switch (kind) {
            case BEAT -> ((Beat) item).streamId();
            case VITAL -> ((Vital) item).streamId();
            case EVENT -> ((CardiacEvent) item).streamId();
            case WAVEFORM -> ((WaveformItem) item).streamId();
        };
        String[] byKind = topicsByStream.get(streamId);
        if (byKind == null) {
            if (invalidStreams.contains(streamId)) {
                return null;
            }
            try {
                byKind = new String[KINDS];
                byKind[Kind.VITAL.ordinal()] = topics.vitals(streamId);
                byKind[Kind.BEAT.ordinal()] = topics.beats(streamId);
                byKind[Kind.EVENT.ordinal()] = topics.events(streamId);
                byKind[Kind.WAVEFORM.ordinal()] = topics.waveform(streamId);
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
        if (item instanceof WaveformItem w) {
            WaveformMessage.setSeq(w.message(), seq);
            return w.message();
        }
        if (item instanceof Beat b) {
            return payloads.beat(b, seq, wallMillis);
        }
        if (item instanceof Vital v) {
            return payloads.vital(v, seq, wallMillis);
        }
        return payloads.event((CardiacEvent) item, seq, wallMillis);
    }

    private void shutDown() {
        while (drain(DRAIN_BATCH)) {
            // everything offered before close goes into the journal
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        while (connected && System.nanoTime() < deadline) {
            processAcks();
            if (outbox.pendingTotal() == 0) {
                break;
            }
            long n = connections.get();
            if (n != sessionEpoch) {
                startSession(n);
            }
            backfillTokens = Double.MAX_VALUE / 4;
            if (!send()) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
        processAcks();
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
        processAcks();
        updatePending();
        if (temporaryOutbox) {
            for (Lane lane : Lane.ALL) {
                droppedOnClose.set(lane.ordinal(), outbox.pending(lane));
            }
        }
        outbox.close(true);
        if (temporaryOutbox) {
            deleteTree(outbox.dir());
            for (Lane lane : Lane.ALL) {
                pending.set(lane.ordinal(), 0);
            }
        }
        LOG.info("MQTT publisher {} closed: published {}, dropped {}, rejected {}, failed {}, pending {}{}",
                settings.clientId(), publishedCount(), droppedCount(), rejectedCount(), failedCount(), sum(pending),
                temporaryOutbox ? "" : " (kept in " + outbox.dir() + ")");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("temporary MQTT outbox file {} not deleted: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("temporary MQTT outbox {} not deleted: {}", dir, e.getMessage());
        }
    }

    private void handleCommand(String topic, byte[] payload) {
        CommandProcessor.Response response = commands.process(topic, payload);
        if (!"rejected".equals(response.status())) {
            commandsHandled.incrementAndGet();
        }
        try {
            client.publish(response.topic(), response.payload(), MqttTopics.COMMANDS_QOS, false);
        } catch (MqttException e) {
            LOG.warn("MQTT reply to a command on {} not sent: {}", response.topic(), e.getMessage());
        }
    }

    /** Paho's thread: result of a first connection attempt. */
    private final class FirstConnectListener implements IMqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            everConnected = true;
            lastConnectionError = null;
            connectInFlight.set(false);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            connectFailed(exception);
        }
    }

    /** Paho callback thread: flags, counters and hand-offs only. */
    private final class ConnectionCallback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connected = true;
            connections.incrementAndGet();
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            lastLossCause = cause;
            lastConnectionError = Tls.explain(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (commands == null || !topic.startsWith(topics.prefix() + "commands/")) {
                return;
            }
            byte[] payload = message.getPayload();
            try {
                commandThread.execute(() -> handleCommand(topic, payload));
            } catch (RejectedExecutionException e) {
                LOG.warn("MQTT command on {} dropped: 64 commands are already waiting", topic);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }

    /** Paho callback thread: queues the outcome of a record's delivery for the outbox thread. */
    private final class DeliveryListener implements IMqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            if (token.getUserContext() instanceof Long id) {
                acks.add(id);
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable exception) {
            if (token.getUserContext() instanceof Long id) {
                nacks.add(id);
            }
        }
    }
}
