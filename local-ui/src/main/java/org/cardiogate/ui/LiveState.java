package org.cardiogate.ui;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.cardiogate.signal.Beat;
import org.cardiogate.signal.CardiacEvent;
import org.cardiogate.signal.MonotonicClock;
import org.cardiogate.signal.PipelineOutput;
import org.cardiogate.signal.SampleBlock;
import org.cardiogate.signal.StreamDescriptor;
import org.cardiogate.signal.Vital;

/**
 * What the local page shows, fed by the real-time loop.
 *
 * <p>Threading: {@link #onBeat}, {@link #onVital} and {@link #onEvent} are called from the DSP thread (through the
 * gateway's fan-out). They only offer the item into a lock-free bounded inbox and return: no lock, no I/O, no
 * allocation. When an inbox is full the item is dropped and counted ({@link LiveSnapshot#updatesDropped()},
 * {@link LiveSnapshot#eventsDropped()}); the page catches up with the next heart rate. Events have their own inbox so
 * that a burst of beats cannot push out an alarm.
 *
 * <p>A single dispatcher thread ({@code cardiogate-ui-dispatch}, started by {@link #start}) drains the inboxes,
 * keeps the latest heart rate per stream and the recent beats and events, and hands each update as a
 * {@link LiveMessage} to every live client's {@link LiveSubscription}. Clients are written to by their own request
 * threads, so a slow browser only loses its own messages.
 *
 * <p>Waveforms: {@link #onSamples} (output thread of each stream) copies the block into that stream's preallocated
 * {@link WaveformRing}, averaging it down to at most {@link #DISPLAY_RATE_HZ} per channel; the dispatcher sends the new
 * display samples to the page every {@link #WAVE_FLUSH_NANOS} as {@code wave} messages of integers (see
 * {@link LiveJson#wave}). A reader that falls behind the ring loses the oldest samples, counted in
 * {@link #waveSamplesDropped()}; the writer never waits.
 *
 * <p>Every vital is kept (latest value and a ten-minute trend by name, {@link VitalTrend}); heart rates are also kept
 * per stream. For every cardiac event a waveform snippet of {@link #EVIDENCE_SECONDS} either side of the onset is
 * captured once the stream has passed onset + {@link #EVIDENCE_SECONDS} ({@link #evidence(String)}).
 */
public final class LiveState implements PipelineOutput, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveState.class.getName());
    private static final int MAX_BATCH = 512;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Highest display rate per channel sent to the page; faster streams are averaged down by an integer factor. */
    public static final double DISPLAY_RATE_HZ = 250;
    /** How often new display samples are sent: 25 messages per stream per second. */
    static final long WAVE_FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    /** Evidence snippets span this many seconds before and after an event's onset. */
    public static final double EVIDENCE_SECONDS = 5;
    static final int MAX_STREAMS = 16;
    static final int MAX_EVIDENCE = 32;
    /** Give up waiting for post-onset samples after this long and keep what there is. */
    private static final long EVIDENCE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final LiveLimits limits;
    private final BoundedInbox<Object> updates;
    private final BoundedInbox<CardiacEvent> events;
    private final AtomicLong updatesDropped = new AtomicLong();
    private final AtomicLong eventsDropped = new AtomicLong();
    private final LongAdder clientDrops = new LongAdder();

    private final ConcurrentHashMap<String, HeartRate> heartRates = new ConcurrentHashMap<>();
    private final History<Beat> beatHistory;
    private final History<CardiacEvent> eventHistory;
    private final ConcurrentHashMap<String, String> status = new ConcurrentHashMap<>();
    private final AtomicLong statusVersion = new AtomicLong();
    private long statusVersionSent;

    private final MonotonicClock clock;
    private final ConcurrentHashMap<String, WaveformRing> rings = new ConcurrentHashMap<>();
    private final AtomicLong blocksDropped = new AtomicLong();
    private final AtomicLong waveSamplesDropped = new AtomicLong();
    private final LongAdder waveMessages = new LongAdder();
    private final LongAdder waveBytes = new LongAdder();
    private final AtomicLong beatsSeen = new AtomicLong();
    private final AtomicLong eventsSeen = new AtomicLong();
    private final HashMap<String, long[]> waveCursor = new HashMap<>();
    private long lastWaveFlush;
    private volatile int streamsVersion;
    private int streamsVersionSent;
    private final ConcurrentHashMap<String, VitalTrend> vitals = new ConcurrentHashMap<>();
    private final ArrayList<PendingEvidence> pendingEvidence = new ArrayList<>();
    private final LinkedHashMap<String, Evidence> evidence = new LinkedHashMap<>();
    private final History<EventRecord> eventRecords;
    private long evidenceCounter;

    private final ConcurrentLinkedQueue<LiveSubscription> joining = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<LiveSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger clients = new AtomicInteger();

    private volatile boolean running;
    private volatile Thread dispatcher;

    /** A state with no dispatcher thread: the owner calls {@link #doWork()} itself (tests, single-threaded replay). */
    LiveState(LiveLimits limits) {
        this(limits, MonotonicClock.SYSTEM);
    }

    /** A state with no dispatcher thread and the given clock for flush and evidence timing. */
    LiveState(LiveLimits limits, MonotonicClock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.eventRecords = new History<>(limits.eventHistory());
        this.updates = new BoundedInbox<>(limits.updateInbox());
        this.events = new BoundedInbox<>(limits.eventInbox());
        this.beatHistory = new History<>(limits.beatHistory());
        this.eventHistory = new History<>(limits.eventHistory());
    }

    /** Creates the state with {@link LiveLimits#DEFAULTS} and starts its dispatcher thread. */
    public static LiveState start() {
        return start(LiveLimits.DEFAULTS);
    }

    /** Creates the state and starts its dispatcher thread; {@link #close()} stops it. */
    public static LiveState start(LiveLimits limits) {
        LiveState state = new LiveState(limits);
        state.running = true;
        Thread thread = new Thread(state::dispatchLoop, "cardiogate-ui-dispatch");
        thread.setDaemon(true);
        state.dispatcher = thread;
        thread.start();
        return state;
    }

    /** DSP thread. Queues the beat for the page; never blocks. */
    @Override
    public void onBeat(Beat beat) {
        if (!updates.offer(beat)) {
            updatesDropped.incrementAndGet();
        }
    }

    /**
     * Output thread of the block's stream: copies the samples into the stream's display ring and returns; never
     * blocks. The block can be reused as soon as this returns. The first block of a new stream allocates its ring
     * (once); beyond {@link #MAX_STREAMS} streams, blocks are dropped and counted ({@link #blocksDropped()}).
     * One thread per stream at a time.
     */
    public void onSamples(SampleBlock block) {
        WaveformRing ring = rings.get(block.stream().streamId());
        if (ring == null) {
            ring = register(block.stream());
            if (ring == null) {
                blocksDropped.incrementAndGet();
                return;
            }
        }
        ring.write(block);
    }

    private synchronized WaveformRing register(StreamDescriptor stream) {
        WaveformRing ring = rings.get(stream.streamId());
        if (ring != null) {
            return ring;
        }
        if (rings.size() >= MAX_STREAMS) {
            return null;
        }
        ring = new WaveformRing(stream, DISPLAY_RATE_HZ);
        rings.put(stream.streamId(), ring);
        streamsVersion++;
        return ring;
    }

    /** DSP thread. Queues a vital (heart rate, SpO2, PAT, ...) for the page; never blocks. */
    @Override
    public void onVital(Vital vital) {
        if (!updates.offer(vital)) {
            updatesDropped.incrementAndGet();
        }
    }

    /** DSP or inference thread. Queues the event for the page; never blocks. */
    @Override
    public void onEvent(CardiacEvent event) {
        if (!events.offer(event)) {
            eventsDropped.incrementAndGet();
        }
    }

    /**
     * Sets a status line shown on the page, e.g. {@code gatewayId}, {@code mqtt} ({@code "connected"}), {@code source}.
     * A {@code null} value removes it. Any thread; not meant for the DSP thread.
     */
    public void setStatus(String key, String value) {
        Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("status key must not be blank");
        }
        if (value == null) {
            status.remove(key);
        } else {
            status.put(key, value);
        }
        statusVersion.incrementAndGet();
    }

    /** A consistent-enough copy of what the page shows; each part is read atomically. Any thread. */
    public LiveSnapshot snapshot() {
        return new LiveSnapshot(heartRates, beatHistory.toList(), eventHistory.toList(), status, updatesDropped.get(),
                eventsDropped.get(), clientDrops.sum(), clients.get(), vitals(), waveformStreams());
    }

    /**
     * Opens a live feed. Its first messages are the current status and the latest heart rate of every stream, then
     * every update as it is dispatched. Empty when {@link LiveLimits#maxClients()} clients are already connected.
     */
    public Optional<LiveSubscription> subscribe() {
        while (true) {
            int now = clients.get();
            if (now >= limits.maxClients()) {
                return Optional.empty();
            }
            if (clients.compareAndSet(now, now + 1)) {
                break;
            }
        }
        LiveSubscription subscription = new LiveSubscription(this, limits.clientQueue());
        joining.add(subscription);
        return Optional.of(subscription);
    }

    /** Ends every live feed (their request threads then finish). The state itself keeps running. */
    public void disconnectAll() {
        for (LiveSubscription s : new ArrayList<>(subscribers)) {
            s.close();
        }
        LiveSubscription s;
        while ((s = joining.poll()) != null) {
            s.close();
        }
    }

    /** Stops the dispatcher thread and ends every live feed. */
    @Override
    public void close() {
        running = false;
        Thread thread = dispatcher;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        disconnectAll();
    }

    /**
     * One duty cycle of the dispatcher: admits new clients, drains up to a batch from the inboxes (events first),
     * updates the state and hands messages to clients. Returns the number of items handled, 0 when idle.
     * Dispatcher thread only.
     */
    int doWork() {
        int work = admitJoining();
        CardiacEvent event;
        while (work < MAX_BATCH && (event = events.poll()) != null) {
            eventsSeen.incrementAndGet();
            eventHistory.add(event);
            EventRecord record = new EventRecord(event, clock.nanoTime());
            eventRecords.add(record);
            WaveformRing ring = rings.get(event.streamId());
            if (ring != null) {
                pendingEvidence.add(new PendingEvidence(record, ring));
            }
            if (!subscribers.isEmpty()) {
                broadcast("event", LiveJson.event(event));
            }
            work++;
        }
        Object update;
        while (work < MAX_BATCH && (update = updates.poll()) != null) {
            if (update instanceof Vital vital) {
                VitalTrend trend = vitals.get(vital.name());
                if (trend == null) {
                    trend = new VitalTrend(vital.name());
                    vitals.put(vital.name(), trend);
                }
                trend.add(vital);
                if (Vital.HEART_RATE.equals(vital.name())) {
                    HeartRate hr = new HeartRate(vital.streamId(), vital.value(), vital.source(), vital.sample(),
                            vital.timestampNanos());
                    heartRates.put(hr.streamId(), hr);
                    if (!subscribers.isEmpty()) {
                        broadcast("hr", LiveJson.heartRate(hr));
                    }
                } else if (!subscribers.isEmpty()) {
                    broadcast("vital", LiveJson.vital(vital));
                }
            } else if (update instanceof Beat beat) {
                beatsSeen.incrementAndGet();
                beatHistory.add(beat);
                if (!subscribers.isEmpty()) {
                    broadcast("beat", LiveJson.beat(beat));
                }
            }
            work++;
        }
        long version = statusVersion.get();
        if (version != statusVersionSent) {
            statusVersionSent = version;
            if (!subscribers.isEmpty()) {
                broadcast("status", LiveJson.status(new HashMap<>(status)));
            }
            work++;
        }
        int streams = streamsVersion;
        if (streams != streamsVersionSent) {
            streamsVersionSent = streams;
            if (!subscribers.isEmpty()) {
                broadcast("streams", LiveJson.streams(waveformStreams()));
            }
            work++;
        }
        long now = clock.nanoTime();
        if (now - lastWaveFlush >= WAVE_FLUSH_NANOS) {
            lastWaveFlush = now;
            work += flushWaves();
            work += captureEvidence(now, false);
        }
        return work;
    }

    /** Sends every stream's display samples that are new since the last flush, as one message per stream. */
    private int flushWaves() {
        int sent = 0;
        for (WaveformRing ring : rings.values()) {
            long[] cursor = waveCursor.get(ring.stream().streamId());
            if (cursor == null) {
                cursor = new long[] {ring.published()};
                waveCursor.put(ring.stream().streamId(), cursor);
            }
            long end = ring.published();
            long from = cursor[0];
            long oldest = ring.oldestReadable();
            if (from < oldest) {
                waveSamplesDropped.addAndGet(oldest - from);
                from = oldest;
            }
            if (from >= end) {
                continue;
            }
            cursor[0] = end;
            if (subscribers.isEmpty()) {
                continue;
            }
            String json = LiveJson.wave(ring, from, end);
            if (json == null) {
                waveSamplesDropped.addAndGet(end - from);
                continue;
            }
            waveMessages.increment();
            waveBytes.add(json.length());
            broadcast("wave", json);
            sent++;
        }
        return sent;
    }

    /**
     * Captures the evidence of events whose stream has passed onset + {@link #EVIDENCE_SECONDS}, or that waited
     * longer than {@link #EVIDENCE_WAIT_NANOS}; all of them when {@code all}. Dispatcher thread only.
     */
    int captureEvidence(long now, boolean all) {
        int captured = 0;
        for (Iterator<PendingEvidence> it = pendingEvidence.iterator(); it.hasNext(); ) {
            PendingEvidence p = it.next();
            WaveformRing ring = p.ring();
            CardiacEvent event = p.record().event();
            long published = ring.published();
            double inputPerDisplay = ring.decimation();
            long afterSamples = Math.round(EVIDENCE_SECONDS * ring.stream().nominalRateHz());
            boolean reached = published > 0 && ring.sequence(published - 1) >= event.onsetSample() + afterSamples;
            if (!all && !reached && now - p.record().receivedNanos() < EVIDENCE_WAIT_NANOS) {
                continue;
            }
            it.remove();
            long from = ring.oldestReadable();
            long lo = event.onsetSample() - afterSamples;
            long hi = event.onsetSample() + afterSamples;
            int channel = ring.preferredChannel();
            float[] buffer = new float[(int) Math.min(published - from, 2 * afterSamples / inputPerDisplay + 2)];
            int n = 0;
            long firstSequence = Long.MIN_VALUE;
            for (long i = from; i < published && n < buffer.length; i++) {
                long sequence = ring.sequence(i);
                if (sequence < lo || sequence > hi) {
                    continue;
                }
                if (firstSequence == Long.MIN_VALUE) {
                    firstSequence = sequence;
                }
                buffer[n++] = ring.value(channel, i);
            }
            if (n == 0 || !ring.stillValid(from)) {
                continue;
            }
            String id = "ev" + (++evidenceCounter);
            int onsetIndex = (int) Math.round((event.onsetSample() - firstSequence) / inputPerDisplay);
            Evidence e = new Evidence(id, event, ring.stream().channels().get(channel).name(),
                    ring.stream().channels().get(channel).unit(), ring.displayRateHz(), onsetIndex,
                    java.util.Arrays.copyOf(buffer, n));
            synchronized (evidence) {
                evidence.put(id, e);
                while (evidence.size() > MAX_EVIDENCE) {
                    evidence.remove(evidence.keySet().iterator().next());
                }
            }
            p.record().evidenceId(id);
            captured++;
        }
        return captured;
    }

    /** The evidence snippet with this id, if still kept (the newest {@link #MAX_EVIDENCE}). Any thread. */
    public Optional<Evidence> evidence(String id) {
        synchronized (evidence) {
            return Optional.ofNullable(evidence.get(id));
        }
    }

    /** Recent events, oldest first, with their evidence ids. Any thread. */
    List<EventRecord> eventRecords() {
        return eventRecords.toList();
    }

    /** Latest value and trend of every vital seen, by name. Any thread. */
    Map<String, VitalTrend> vitals() {
        return Map.copyOf(vitals);
    }

    /** The streams that have sent samples, with their display rates. Any thread. */
    List<WaveformRing> waveformStreams() {
        List<WaveformRing> out = new ArrayList<>(rings.values());
        out.sort((a, b) -> a.stream().streamId().compareTo(b.stream().streamId()));
        return out;
    }

    /** Sample blocks dropped because more than {@link #MAX_STREAMS} streams were fed. */
    public long blocksDropped() {
        return blocksDropped.get();
    }

    /** Display samples the dispatcher lost because it fell more than a ring behind a stream. */
    public long waveSamplesDropped() {
        return waveSamplesDropped.get();
    }

    /** {@code wave} messages built, and their total size in characters (bytes: they are ASCII). */
    long waveMessages() {
        return waveMessages.sum();
    }

    long waveBytes() {
        return waveBytes.sum();
    }

    long beatsSeen() {
        return beatsSeen.get();
    }

    long eventsSeen() {
        return eventsSeen.get();
    }

    private record PendingEvidence(EventRecord record, WaveformRing ring) {
    }

    /** Called once per subscription, by its {@link LiveSubscription#close()}. */
    void unsubscribe(LiveSubscription subscription) {
        subscribers.remove(subscription);
        joining.remove(subscription);
        clients.decrementAndGet();
    }

    void countClientDrop() {
        clientDrops.increment();
    }

    private int admitJoining() {
        int admitted = 0;
        LiveSubscription s;
        while ((s = joining.poll()) != null) {
            if (!s.isOpen()) {
                continue;
            }
            s.deliver(new LiveMessage("status", LiveJson.status(new HashMap<>(status))));
            s.deliver(new LiveMessage("streams", LiveJson.streams(waveformStreams())));
            for (HeartRate hr : heartRates.values()) {
                s.deliver(new LiveMessage("hr", LiveJson.heartRate(hr)));
            }
            subscribers.add(s);
            if (!s.isOpen()) {
                // closed between poll and add: its close() could not find it in either list
                subscribers.remove(s);
            }
            admitted++;
        }
        return admitted;
    }

    private void broadcast(String name, String json) {
        LiveMessage message = new LiveMessage(name, json);
        for (LiveSubscription s : subscribers) {
            s.deliver(message);
        }
    }

    private void dispatchLoop() {
        while (running) {
            int work;
            try {
                work = doWork();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "local-ui dispatcher failed on an update; continuing", e);
                work = 0;
            }
            if (work == 0) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        }
    }
}
