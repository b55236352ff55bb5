package org.cardiogate.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {

    @Test
    void readyStatusWatchdogAndStoppingArriveAtTheNotifySocket(@TempDir Path dir) throws Exception {
        try (FakeNotifySocket socket = new FakeNotifySocket(dir);
             SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.path.toString()), 1)) {
            assertThat(n.enabled()).isTrue();
            n.ready("monitoring bed-1");
            n.watchdog();
            n.status("2 streams\nok");
            n.stopping("shutting down");
            assertThat(socket.next(5000)).isEqualTo("READY=1|STATUS=monitoring bed-1");
            assertThat(socket.next(5000)).isEqualTo("WATCHDOG=1");
            assertThat(socket.next(5000)).isEqualTo("STATUS=2 streams ok");
            assertThat(socket.next(5000)).isEqualTo("STOPPING=1|STATUS=shutting down");
        }
    }

    @Test
    void theSystemdNotifyCommandFallbackDeliversToo(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")), "needs systemd-notify");
        try (FakeNotifySocket socket = new FakeNotifySocket(dir);
             SystemdNotifier n = SystemdNotifier.viaCommand(socket.path.toString(), "/usr/bin/systemd-notify")) {
            assertThat(n.send("READY=1\nSTATUS=up")).isTrue();
            // systemd-notify follows each message with BARRIER=1 (it waits until systemd has read it)
            assertThat(socket.next(5000)).contains("READY=1").contains("STATUS=up");
            assertThat(socket.next(5000)).isEqualTo("BARRIER=1");
            n.watchdog();
            assertThat(socket.next(5000)).contains("WATCHDOG=1");
        }
    }

    @Test
    void aVanishedSocketIsReportedAsNotSentInsteadOfThrowing(@TempDir Path dir) {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", dir.resolve("gone.sock").toString()), 1)) {
            assertThat(n.enabled()).isTrue();
            assertThat(n.send("WATCHDOG=1")).isFalse();
        }
    }

    @Test
    void outsideSystemdNothingIsSentAndThereIsNoWatchdog() {
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), 1)) {
            assertThat(n.enabled()).isFalse();
            assertThat(n.send("READY=1")).isFalse();
            assertThat(n.watchdogInterval()).isEmpty();
        }
    }

    @Test
    void theWatchdogIntervalIsTakenOnlyWhenItIsMeantForThisProcess() {
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "10000000"), 42))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "42"), 42))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", "7"), 42))
                .isNull();
        assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "ten"), 42)).isNull();
    }

    @Test
    void abstractSocketNamesStartWithANulByte() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(NativeDatagramTransport.sockaddr("@/org/freedesktop/systemd1/notify"))
                .order(ByteOrder.nativeOrder());
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(b.get()).isZero();
        assertThat(b.remaining()).isEqualTo("/org/freedesktop/systemd1/notify".length());
        byte[] path = NativeDatagramTransport.sockaddr("/run/systemd/notify");
        assertThat(path[path.length - 1]).as("NUL-terminated").isZero();
    }
}
