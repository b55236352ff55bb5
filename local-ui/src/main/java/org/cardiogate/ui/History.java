package org.cardiogate.ui;

import java.util.ArrayList;
import java.util.List;

/** The last {@code capacity} items added, oldest first. Written by the dispatcher, read by HTTP threads. */
final class History<T> {
    private final Object[] ring;
    private int next;
    private int size;

    History(int capacity) {
        ring = new Object[capacity];
    }

    synchronized void add(T item) {
        ring[next] = item;
        next = (next + 1) % ring.length;
        if (size < ring.length) {
            size++;
        }
    }

    @SuppressWarnings("unchecked")
    synchronized List<T> toList() {
        List<T> out = new ArrayList<>(size);
        int start = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            out.add((T) ring[(start + i) % ring.length]);
        }
        return out;
    }
}
