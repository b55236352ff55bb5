package org.cardiogate.gateway.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the systemd watchdog only while the gateway really works: at every check it reads one counter per watched
 * loop and sends {@code WATCHDOG=1} only if every counter advanced since the previous check. A hung loop stops the
 * pings; after {@code WatchdogSec} systemd kills the service ({@code WatchdogSignal}, SIGABRT by default) and
 * {@code Restart=on-failure} starts it again.
 *
 * <p>The counters must advance whenever the loop is alive, also when it has no data: count duty cycles (loop
 * iterations), not blocks processed, or a disconnected sensor would cause a restart every {@code WatchdogSec}.
 * Reading the counters must be cheap and lock-free (a volatile or atomic long).
 *
 * <p>Runs on its own daemon thread ("watchdog").
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    /** A loop that must keep moving, named for the status line. */
    public record Progress(String name, LongSupplier counter) {
    }

    private final SystemdNotifier notifier;
    private final List<Progress> watched;
    private final long[] last;
    private final Duration checkEvery;
    private final AtomicLong pings = new AtomicLong();
    private final AtomicLong stalledChecks = new AtomicLong();
    private volatile boolean running = true;
    private String stalled;
    private Thread thread;

    /**
     * @param checkEvery time between checks; use half the watchdog interval or less (see
     *                   {@link #forInterval(SystemdNotifier, Duration, List)})
     */
    public Watchdog(SystemdNotifier notifier, Duration checkEvery, List<Progress> watched) {
        if (watched.isEmpty()) {
            throw new IllegalArgumentException("watchdog needs at least one progress counter");
        }
        if (checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("watchdog check interval must be positive, was " + checkEvery);
        }
        this.notifier = notifier;
        this.watched = List.copyOf(watched);
        this.checkEvery = checkEvery;
        this.last = new long[watched.size()];
        for (int i = 0; i < last.length; i++) {
            last[i] = this.watched.get(i).counter().getAsLong();
        }
    }

    /** A watchdog checking at a third of systemd's {@code WatchdogSec} (two chances to ping before it expires). */
    public static Watchdog forInterval(SystemdNotifier notifier, Duration watchdogSec, List<Progress> watched) {
        return new Watchdog(notifier, watchdogSec.dividedBy(3), watched);
    }

    /** Starts checking on a daemon thread. */
    public Watchdog start() {
        thread = Thread.ofPlatform().name("watchdog").daemon(true).start(this::run);
        return this;
    }

    private void run() {
        long periodNanos = checkEvery.toNanos();
        long next = System.nanoTime() + periodNanos;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            next += periodNanos;
            check();
        }
    }

    /**
     * One check: pings when every counter advanced since the previous check.
     *
     * @return whether it pinged
     */
    synchronized boolean check() {
        List<String> stuck = new ArrayList<>(0);
        for (int i = 0; i < last.length; i++) {
            long now = watched.get(i).counter().getAsLong();
            if (now == last[i]) {
                stuck.add(watched.get(i).name());
            }
            last[i] = now;
        }
        if (stuck.isEmpty()) {
            if (stalled != null) {
                LOG.warn("watchdog: {} moving again", stalled);
                notifier.status("running");
                stalled = null;
            }
            notifier.watchdog();
            pings.incrementAndGet();
            return true;
        }
        stalledChecks.incrementAndGet();
        String names = String.join(", ", stuck);
        if (!names.equals(stalled)) {
            LOG.error("watchdog: no progress in {} for {} ms; withholding the keep-alive", names, checkEvery.toMillis());
            notifier.status("stalled: " + names);
            stalled = names;
        }
        return false;
    }

    /** Keep-alives sent. */
    public long pings() {
        return pings.get();
    }

    /** Checks that found a loop without progress. */
    public long stalledChecks() {
        return stalledChecks.get();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
