package org.cardiogate.ui;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One live client's feed: a bounded queue that the dispatcher fills without waiting and the client's own request
 * thread drains. A client that reads too slowly loses the newest messages (counted in {@link #dropped()}); it never
 * slows the dispatcher or other clients.
 */
public final class LiveSubscription implements AutoCloseable {
    private static final LiveMessage CLOSED = new LiveMessage("closed", "{}");

    private final LiveState owner;
    private final ArrayBlockingQueue<LiveMessage> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean open = new AtomicBoolean(true);

    LiveSubscription(LiveState owner, int capacity) {
        this.owner = owner;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    /**
     * Waits up to {@code timeout} for the next message. Returns {@code null} on timeout and once the subscription
     * is closed; check {@link #isOpen()} to tell them apart. Called from the client's request thread.
     */
    public LiveMessage next(Duration timeout) throws InterruptedException {
        if (!open.get()) {
            return null;
        }
        LiveMessage message = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return message == CLOSED ? null : message;
    }

    public boolean isOpen() {
        return open.get();
    }

    /** Messages this client lost because its queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Messages waiting to be sent to this client. */
    public int pending() {
        return queue.size();
    }

    /** Ends the feed and wakes a thread waiting in {@link #next}. Idempotent. */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        owner.unsubscribe(this);
        queue.clear();
        queue.offer(CLOSED);
    }

    /** Dispatcher thread: queues the message, or counts it dropped when this client is behind. */
    void deliver(LiveMessage message) {
        if (!open.get()) {
            return;
        }
        // one slot is kept for the CLOSED marker
        if (queue.remainingCapacity() <= 1 || !queue.offer(message)) {
            dropped.incrementAndGet();
            owner.countClientDrop();
        }
    }
}
