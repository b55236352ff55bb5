package org.cardiogate.gateway.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fallback for JDK 21: runs {@code systemd-notify KEY=VALUE...} for each message. The datagram then comes from a
 * child process, which systemd accepts only with {@code NotifyAccess=all} in the unit (see
 * {@code systemd/cardiogate.service}), and only while that child is still alive when systemd reads it; a lost
 * {@code WATCHDOG=1} is repeated at the next check, so a late or lost ping does not restart the service by itself.
 */
final class SystemdNotifyCommandTransport implements NotifyTransport {
    private final String socketPath;
    private final String command;

    SystemdNotifyCommandTransport(String socketPath, String command) {
        this.socketPath = socketPath;
        this.command = command;
    }

    @Override
    public void send(String message) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        for (String line : message.split("\n")) {
            if (!line.isEmpty()) {
                cmd.add(line);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NOTIFY_SOCKET", socketPath);
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish within 5 s");
            }
            if (p.exitValue() != 0) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IOException(command + " exited with " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command, e);
        }
    }

    @Override
    public String describe() {
        return "'" + command + "' to " + socketPath + " (needs NotifyAccess=all)";
    }

    @Override
    public void close() {
    }
}
