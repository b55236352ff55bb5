package org.cardiogate.mqtt;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded, lock-free, allocation-free queue from any number of producers to one consumer (D. Vyukov's bounded
 * queue with a per-slot sequence). Each slot holds an item and two longs, so the producer attaches the wall-clock
 * time and a tag (the publisher's per-topic drop count) without allocating a wrapper.
 *
 * <p>{@link #offer} never waits: it fails when the queue is full. {@link #poll} is for one consumer thread only.
 */
final class OutputQueue {
    private final int capacity;
    private final AtomicLongArray slotSequence;
    private final Object[] items;
    private final long[] wallMillis;
    private final long[] seqs;
    private final AtomicLong tail = new AtomicLong();
    private volatile long head;
    private long polledWallMillis;
    private long polledTag;

    OutputQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.slotSequence = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            slotSequence.set(i, i);
        }
        this.items = new Object[capacity];
        this.wallMillis = new long[capacity];
        this.seqs = new long[capacity];
    }

    int capacity() {
        return capacity;
    }

    /** Adds an item unless the queue is full; any thread, never blocks, allocates nothing. */
    boolean offer(Object item, long wallMillisValue, long tag) {
        long pos = tail.get();
        int index;
        while (true) {
            index = (int) (pos % capacity);
            long dif = slotSequence.get(index) - pos;
            if (dif == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    break;
                }
                pos = tail.get();
            } else if (dif < 0) {
                return false;
            } else {
                pos = tail.get();
            }
        }
        items[index] = item;
        wallMillis[index] = wallMillisValue;
        seqs[index] = tag;
        slotSequence.set(index, pos + 1); // publishes the plain writes above to the consumer
        return true;
    }

    /**
     * Takes the oldest item, or returns {@code null} when empty. Its wall-clock time and sequence number are then
     * available from {@link #polledWallMillis()} and {@link #polledTag()}. Consumer thread only.
     */
    Object poll() {
        long h = head;
        int index = (int) (h % capacity);
        if (slotSequence.get(index) != h + 1) {
            return null;
        }
        Object item = items[index];
        polledWallMillis = wallMillis[index];
        polledTag = seqs[index];
        items[index] = null;
        slotSequence.set(index, h + capacity);
        head = h + 1;
        return item;
    }

    long polledWallMillis() {
        return polledWallMillis;
    }

    long polledTag() {
        return polledTag;
    }

    /** Approximate number of items waiting; exact when no thread is offering or polling. */
    int size() {
        long size = tail.get() - head;
        return (int) Math.max(0, Math.min(capacity, size));
    }
}
