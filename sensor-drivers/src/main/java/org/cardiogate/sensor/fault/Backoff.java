package org.cardiogate.sensor.fault;

/**
 * Exponential backoff between recovery attempts: {@code initial}, then doubling up to {@code max}; {@link #reset()}
 * after a success. Not thread-safe; owned by one acquisition thread.
 */
public final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private long nextNanos;
    private int attempts;

    public Backoff(long initialNanos, long maxNanos) {
        if (initialNanos <= 0 || maxNanos < initialNanos) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initialNanos + " and "
                    + maxNanos + " ns");
        }
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
        this.nextNanos = initialNanos;
    }

    /** The delay before the next attempt, and doubles the one after it. */
    public long nextDelayNanos() {
        long d = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        attempts++;
        return d;
    }

    /** Attempts since the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    public void reset() {
        nextNanos = initialNanos;
        attempts = 0;
    }
}
