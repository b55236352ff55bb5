package org.cardiogate.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogTest {

    /** A duty-cycle loop like the DSP thread's: counts cycles; can be made to hang inside a cycle. */
    private static final class Loop {
        final AtomicLong cycles = new AtomicLong();
        final AtomicBoolean hang = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean running = true;
        final Thread thread = Thread.ofPlatform().daemon(true).start(this::run);

        private void run() {
            while (running) {
                if (hang.get()) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    hang.set(false);
                }
                cycles.incrementAndGet();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Test
    void pingsWhileTheLoopMovesAndFallsSilentWhenItHangs(@TempDir Path dir) throws Exception {
        Loop loop = new Loop();
        try (FakeNotifySocket socket = new FakeNotifySocket(dir);
             SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.path.toString()), 1);
             Watchdog w = new Watchdog(n, Duration.ofMillis(100),
                     List.of(new Watchdog.Progress("dsp", loop.cycles::get))).start()) {
            List<String> running = socket.collect(700);
            assertThat(running).filteredOn("WATCHDOG=1"::equals).hasSizeGreaterThanOrEqualTo(3);

            loop.hang.set(true);
            Thread.sleep(300); // the check in flight may still see the last cycles
            socket.collect(0);
            long pingsBefore = w.pings();
            List<String> hung = socket.collect(700);
            assertThat(hung).doesNotContain("WATCHDOG=1");
            assertThat(w.pings()).isEqualTo(pingsBefore);
            assertThat(w.stalledChecks()).isGreaterThanOrEqualTo(3);

            loop.release.countDown();
            List<String> recovered = socket.collect(700);
            assertThat(recovered).contains("STATUS=running");
            assertThat(recovered).filteredOn("WATCHDOG=1"::equals).isNotEmpty();
        } finally {
            loop.running = false;
            loop.release.countDown();
        }
    }

    @Test
    void theStatusLineNamesTheLoopThatStopped(@TempDir Path dir) throws Exception {
        AtomicLong dsp = new AtomicLong();
        AtomicLong store = new AtomicLong();
        try (FakeNotifySocket socket = new FakeNotifySocket(dir);
             SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.path.toString()), 1)) {
            Watchdog w = new Watchdog(n, Duration.ofSeconds(1),
                    List.of(new Watchdog.Progress("dsp", dsp::get), new Watchdog.Progress("store", store::get)));
            dsp.incrementAndGet();
            store.incrementAndGet();
            assertThat(w.check()).isTrue();
            assertThat(socket.next(5000)).isEqualTo("WATCHDOG=1");

            dsp.incrementAndGet();
            assertThat(w.check()).as("store did not move").isFalse();
            assertThat(socket.next(5000)).isEqualTo("STATUS=stalled: store");
            assertThat(w.check()).as("neither moved").isFalse();
            assertThat(socket.next(5000)).isEqualTo("STATUS=stalled: dsp, store");
        }
    }

    @Test
    void checksAtAThirdOfTheWatchdogInterval() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), 1)) {
            AtomicLong c = new AtomicLong();
            Watchdog w = Watchdog.forInterval(n, Duration.ofSeconds(9), List.of(new Watchdog.Progress("dsp", c::get)));
            assertThat(w.check()).as("no progress since construction").isFalse();
            c.incrementAndGet();
            assertThat(w.check()).isTrue();
        }
    }
}
