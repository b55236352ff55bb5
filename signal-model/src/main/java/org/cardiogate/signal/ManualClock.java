package org.cardiogate.signal;

import java.util.concurrent.atomic.AtomicLong;

/** A clock advanced by hand, for tests and for offline replay where time is the sample count. */
public final class ManualClock implements MonotonicClock {
    private final AtomicLong now;

    public ManualClock(long startNanos) {
        this.now = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    public void advanceNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a monotonic clock cannot go back: " + nanos + " ns");
        }
        now.addAndGet(nanos);
    }

    public void set(long nanos) {
        long prev = now.get();
        if (nanos < prev) {
            throw new IllegalArgumentException("a monotonic clock cannot go back from " + prev + " to " + nanos);
        }
        now.set(nanos);
    }
}
