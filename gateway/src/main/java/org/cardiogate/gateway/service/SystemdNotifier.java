package org.cardiogate.gateway.service;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the gateway is doing, the sd_notify(3) protocol: {@code READY=1} once it runs,
 * {@code STATUS=...} for {@code systemctl status}, {@code WATCHDOG=1} from the {@link Watchdog}, and
 * {@code STOPPING=1} at shutdown.
 *
 * <p>Outside systemd ({@code NOTIFY_SOCKET} unset) every call does nothing, so the same code runs from a shell.
 * Messages go in-process over the notify socket on JDK 22+ ({@link NativeDatagramTransport}) and through the
 * {@code systemd-notify} command on JDK 21. A failed send is logged (once per kind of failure) and never thrown:
 * the service manager being unreachable must not stop the monitor.
 *
 * <p>Thread-safe.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final NotifyTransport transport;
    private final Duration watchdogInterval;
    private volatile String lastFailure;

    private SystemdNotifier(NotifyTransport transport, Duration watchdogInterval) {
        this.transport = transport;
        this.watchdogInterval = watchdogInterval;
    }

    /** A notifier for the environment systemd gives the service ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}). */
    public static SystemdNotifier fromEnvironment() {
        return fromEnvironment(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * A notifier for the given environment.
     *
     * @param pid this process's id; {@code WATCHDOG_USEC} counts only when {@code WATCHDOG_PID} is unset or equal
     */
    public static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
        String socket = env.get("NOTIFY_SOCKET");
        Duration interval = watchdogInterval(env, pid);
        if (socket == null || socket.isBlank()) {
            return new SystemdNotifier(null, interval);
        }
        NotifyTransport t;
        if (NativeDatagramTransport.available()) {
            try {
                t = new NativeDatagramTransport(socket);
            } catch (IOException e) {
                LOG.warn("{}; falling back to systemd-notify", e.getMessage());
                t = new SystemdNotifyCommandTransport(socket, "systemd-notify");
            }
        } else {
            t = new SystemdNotifyCommandTransport(socket, "systemd-notify");
        }
        LOG.info("systemd notifications: {}{}", t.describe(),
                interval == null ? "" : ", watchdog " + interval.toMillis() + " ms");
        return new SystemdNotifier(t, interval);
    }

    /** Uses the {@code systemd-notify} command even on JDK 22+ (for tests of the fallback). */
    static SystemdNotifier viaCommand(String socket, String command) {
        return new SystemdNotifier(new SystemdNotifyCommandTransport(socket, command), null);
    }

    static Duration watchdogInterval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String wpid = env.get("WATCHDOG_PID");
        if (usec == null || (wpid != null && !wpid.equals(Long.toString(pid)))) {
            return null;
        }
        try {
            long us = Long.parseLong(usec.strip());
            return us > 0 ? Duration.ofNanos(us * 1000) : null;
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC is not a number: '{}'; watchdog off", usec);
            return null;
        }
    }

    /** Whether systemd listens ({@code NOTIFY_SOCKET} set). */
    public boolean enabled() {
        return transport != null;
    }

    /** The unit's {@code WatchdogSec}, if systemd asked for pings; ping at least twice per interval. */
    public Optional<Duration> watchdogInterval() {
        return Optional.ofNullable(watchdogInterval);
    }

    /** Start-up finished; with {@code Type=notify} systemd counts the service as started only now. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** Keep-alive; call only while the gateway is known to make progress (see {@link Watchdog}). */
    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** Shutdown began; systemd then waits up to {@code TimeoutStopSec}. */
    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + oneLine(status));
    }

    /**
     * Sends raw assignments (newline-separated {@code KEY=VALUE}).
     *
     * @return whether the message went out (always {@code false} outside systemd)
     */
    public boolean send(String assignments) {
        if (transport == null) {
            return false;
        }
        try {
            transport.send(assignments);
            lastFailure = null;
            return true;
        } catch (IOException e) {
            String m = e.getMessage();
            if (!m.equals(lastFailure)) {
                LOG.warn("systemd notification failed: {}", m);
                lastFailure = m;
            }
            return false;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }
}
