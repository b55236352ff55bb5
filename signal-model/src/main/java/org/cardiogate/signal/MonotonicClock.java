package org.cardiogate.signal;

/**
 * A source of monotonic time in nanoseconds. Drivers and DSP never read the wall clock; they are given one of
 * these, so tests and offline replay control time completely.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** The host's monotonic clock ({@link System#nanoTime()}). */
    MonotonicClock SYSTEM = System::nanoTime;

    /** Current monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();
}
