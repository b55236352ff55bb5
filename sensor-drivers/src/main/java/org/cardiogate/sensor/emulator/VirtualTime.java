package org.cardiogate.sensor.emulator;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.cardiogate.sensor.timing.HostTime;

/**
 * A discrete-event host time for emulated runs: time stands still while any registered party is working and jumps
 * to the earliest deadline once every registered party sleeps. Acquisition threads of several drivers and the test
 * thread can so share one timeline, deterministically and faster than real time.
 *
 * <p>Every thread that calls {@link #sleepUntil(long)} must be counted by {@link #register()} (a source registers
 * before starting its thread; the thread deregisters when it ends). A party that blocks on anything else than this
 * time (a lock, a join) while others wait stops time: a test thread should {@link #deregister()} before joining
 * sources, or close them (which interrupts their sleeps).
 */
public final class VirtualTime implements HostTime {
    private static final int MAX_SLEEPERS = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final long[] deadlines = new long[MAX_SLEEPERS];
    private volatile long now;
    private int parties;
    private int sleeping;

    public VirtualTime(long startNanos) {
        this.now = startNanos;
        Arrays.fill(deadlines, Long.MAX_VALUE);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void register() {
        lock.lock();
        try {
            parties++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void deregister() {
        lock.lock();
        try {
            if (parties == 0) {
                throw new IllegalStateException("virtual time: deregister without register");
            }
            parties--;
            advanceIfAllAsleep();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (deadlineNanos <= now) {
                return;
            }
            int slot = 0;
            while (deadlines[slot] != Long.MAX_VALUE) {
                slot++;
                if (slot == MAX_SLEEPERS) {
                    throw new IllegalStateException("virtual time: more than " + MAX_SLEEPERS + " sleepers");
                }
            }
            deadlines[slot] = deadlineNanos;
            sleeping++;
            try {
                while (now < deadlineNanos) {
                    advanceIfAllAsleep();
                    if (now >= deadlineNanos) {
                        break;
                    }
                    advanced.await();
                }
            } finally {
                deadlines[slot] = Long.MAX_VALUE;
                sleeping--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Registered parties (for diagnostics). */
    public int parties() {
        lock.lock();
        try {
            return parties;
        } finally {
            lock.unlock();
        }
    }

    private void advanceIfAllAsleep() {
        if (sleeping == 0 || sleeping < parties) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (long d : deadlines) {
            earliest = Math.min(earliest, d);
        }
        if (earliest != Long.MAX_VALUE && earliest > now) {
            now = earliest;
            advanced.signalAll();
        }
    }
}
