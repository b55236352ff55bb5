package org.cardiogate.ui;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.cardiogate.signal.PipelineOutput;
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
 * <p>Only {@link Vital#HEART_RATE} vitals are kept in this version; other vitals are ignored.
 */
public final class LiveState implements PipelineOutput, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveState.class.getName());
    private static final int MAX_BATCH = 512;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

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

    private final ConcurrentLinkedQueue<LiveSubscription> joining = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<LiveSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger clients = new AtomicInteger();

    private volatile boolean running;
    private volatile Thread dispatcher;

    /** A state with no dispatcher thread: the owner calls {@link #doWork()} itself (tests, single-threaded replay). */
    LiveState(LiveLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
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

    /** DSP thread. Queues a heart rate for the page; never blocks. Other vitals are ignored. */
    @Override
    public void onVital(Vital vital) {
        if (!Vital.HEART_RATE.equals(vital.name())) {
            return;
        }
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
                eventsDropped.get(), clientDrops.sum(), clients.get());
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
            eventHistory.add(event);
            if (!subscribers.isEmpty()) {
                broadcast("event", LiveJson.event(event));
            }
            work++;
        }
        Object update;
        while (work < MAX_BATCH && (update = updates.poll()) != null) {
            if (update instanceof Vital vital) {
                HeartRate hr = new HeartRate(vital.streamId(), vital.value(), vital.source(), vital.sample(),
                        vital.timestampNanos());
                heartRates.put(hr.streamId(), hr);
                if (!subscribers.isEmpty()) {
                    broadcast("hr", LiveJson.heartRate(hr));
                }
            } else if (update instanceof Beat beat) {
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
        return work;
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
