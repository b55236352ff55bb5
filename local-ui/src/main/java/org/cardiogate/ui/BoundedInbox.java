package org.cardiogate.ui;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free queue for many producers and one consumer (D. Vyukov's sequenced ring). {@link #offer} never
 * blocks, never parks and allocates nothing: when the ring is full it returns {@code false} and the caller counts
 * the drop. Each slot carries a sequence number that tells producers and the consumer whose turn it is.
 *
 * <p>Threading: {@link #offer} from any number of threads; {@link #poll} from one thread only.
 */
final class BoundedInbox<T> {
    private final AtomicReferenceArray<T> items;
    private final AtomicLongArray sequences;
    private final int capacity;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head;

    /** @param minCapacity the least number of items it must hold; rounded up to a power of two */
    BoundedInbox(int minCapacity) {
        if (minCapacity < 1 || minCapacity > (1 << 30)) {
            throw new IllegalArgumentException("inbox capacity must be between 1 and 2^30, got " + minCapacity);
        }
        capacity = Integer.highestOneBit(minCapacity) == minCapacity ? minCapacity
                : Integer.highestOneBit(minCapacity) << 1;
        mask = capacity - 1;
        items = new AtomicReferenceArray<>(capacity);
        sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
    }

    int capacity() {
        return capacity;
    }

    /** Adds the item, or returns {@code false} at once when the inbox is full. */
    boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        long position = tail.get();
        while (true) {
            int index = (int) position & mask;
            long lag = sequences.getAcquire(index) - position;
            if (lag == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    items.setPlain(index, item);
                    sequences.setRelease(index, position + 1);
                    return true;
                }
                position = tail.get();
            } else if (lag < 0) {
                return false;
            } else {
                position = tail.get();
            }
        }
    }

    /** The oldest item, or {@code null} when empty. Consumer thread only. */
    T poll() {
        int index = (int) head & mask;
        if (sequences.getAcquire(index) != head + 1) {
            return null;
        }
        T item = items.getPlain(index);
        items.setPlain(index, null);
        sequences.setRelease(index, head + capacity);
        head++;
        return item;
    }
}
