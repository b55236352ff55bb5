package org.cardiogate.gateway.recording;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded single-producer, single-consumer queue of references: lock-free and allocation-free, so the pipeline's
 * output thread hands beats and events to the recorder without ever waiting or allocating.
 */
final class ObjectRing<T> {
    private final AtomicReferenceArray<T> slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    /** @param capacity a power of two */
    ObjectRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2, got " + capacity);
        }
        slots = new AtomicReferenceArray<>(capacity);
        mask = capacity - 1;
    }

    /** Producer: adds an item, or returns false when the ring is full. */
    boolean offer(T item) {
        long t = tail.getPlain();
        if (t - head.getAcquire() >= slots.length()) {
            return false;
        }
        slots.setPlain((int) (t & mask), item);
        tail.setRelease(t + 1);
        return true;
    }

    /** Consumer: the oldest item without removing it, or null. */
    T peek() {
        long h = head.getPlain();
        if (h >= tail.getAcquire()) {
            return null;
        }
        return slots.getPlain((int) (h & mask));
    }

    /** Consumer: removes and returns the oldest item, or null. */
    T poll() {
        long h = head.getPlain();
        if (h >= tail.getAcquire()) {
            return null;
        }
        int i = (int) (h & mask);
        T item = slots.getPlain(i);
        slots.setPlain(i, null);
        head.setRelease(h + 1);
        return item;
    }

    /** Items added so far (any thread). */
    long added() {
        return tail.getAcquire();
    }

    /** Items removed so far (any thread). */
    long removed() {
        return head.getAcquire();
    }
}
