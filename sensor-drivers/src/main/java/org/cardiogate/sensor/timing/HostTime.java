package org.cardiogate.sensor.timing;

import java.util.concurrent.locks.LockSupport;

import org.cardiogate.signal.MonotonicClock;

/**
 * The host's monotonic clock plus the ability to sleep on it. Drivers take one of these instead of reading
 * {@link System#nanoTime()} or calling {@link Thread#sleep}, so that emulated runs can use a virtual time
 * ({@code org.cardiogate.sensor.emulator.VirtualTime}) that advances only when every acquisition thread waits.
 *
 * <p>A thread that sleeps on a host time must be counted as one of its parties: a source calls {@link #register()}
 * before starting its thread and the thread calls {@link #deregister()} when it ends.
 */
public interface HostTime extends MonotonicClock {

    /** Sleeps until {@link #nanoTime()} reaches {@code deadlineNanos}; returns at once if it already has. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /** Counts one more thread that sleeps on this time. */
    default void register() {
    }

    /** Counts one thread fewer. */
    default void deregister() {
    }

    /** The real host clock: {@link System#nanoTime()}, sleeping with {@link LockSupport#parkNanos}. */
    static HostTime system() {
        return SystemHostTime.INSTANCE;
    }

    /** The host clock implementation behind {@link #system()}. */
    enum SystemHostTime implements HostTime {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            long wait;
            while ((wait = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException("sleep interrupted");
                }
            }
        }
    }
}
