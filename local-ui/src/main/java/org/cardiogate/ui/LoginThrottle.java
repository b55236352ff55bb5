package org.cardiogate.ui;

import java.util.concurrent.ConcurrentHashMap;

import org.cardiogate.signal.MonotonicClock;

/**
 * Slows down password guessing: after {@value #FREE_ATTEMPTS} failed logins from one address, that address must wait
 * before the next attempt, 2 s doubling per further failure up to 5 minutes. A success clears the address. Also
 * counts failures from all addresses together, so that many addresses cannot guess in parallel at full speed: past
 * {@value #GLOBAL_FAILURES_PER_MINUTE} failures a minute every address waits. Thread-safe.
 */
final class LoginThrottle {
    static final int FREE_ATTEMPTS = 5;
    static final int GLOBAL_FAILURES_PER_MINUTE = 30;
    private static final long BASE_DELAY_NANOS = 2_000_000_000L;
    private static final long MAX_DELAY_NANOS = 300_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;

    private final MonotonicClock clock;
    private final ConcurrentHashMap<String, long[]> byAddress = new ConcurrentHashMap<>();
    private long windowStart;
    private int windowFailures;

    LoginThrottle(MonotonicClock clock) {
        this.clock = clock;
        this.windowStart = clock.nanoTime();
    }

    /** Nanoseconds this address must still wait before trying again; 0 when it may try now. */
    synchronized long waitNanos(String address) {
        long now = clock.nanoTime();
        if (now - windowStart > MINUTE) {
            windowStart = now;
            windowFailures = 0;
        }
        long global = windowFailures >= GLOBAL_FAILURES_PER_MINUTE ? windowStart + MINUTE - now : 0;
        long[] state = byAddress.get(address);
        long local = state == null ? 0 : Math.max(0, state[1] - now);
        return Math.max(global, local);
    }

    synchronized void failed(String address) {
        long now = clock.nanoTime();
        windowFailures++;
        long[] state = byAddress.computeIfAbsent(address, a -> new long[2]);
        state[0]++;
        if (state[0] >= FREE_ATTEMPTS) {
            int doublings = (int) Math.min(20, state[0] - FREE_ATTEMPTS);
            state[1] = now + Math.min(MAX_DELAY_NANOS, BASE_DELAY_NANOS << doublings);
        }
        if (byAddress.size() > 10_000) {
            byAddress.clear();
        }
    }

    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }
}
