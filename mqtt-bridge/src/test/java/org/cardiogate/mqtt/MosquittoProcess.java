package org.cardiogate.mqtt;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's mosquitto as a separate process on a free loopback port, with its own configuration and (optionally) a
 * persistence directory, so it can be stopped and started again on the same port with the same sessions.
 */
final class MosquittoProcess implements AutoCloseable {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Duration START_WAIT = Duration.ofSeconds(20);

    private final Path config;
    private final int port;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private Process process;

    /**
     * @param extraConfig configuration lines after the plain listener (TLS listeners, persistence)
     */
    private MosquittoProcess(Path dir, int port, List<String> extraConfig) throws IOException {
        this.port = port;
        this.config = dir.resolve("mosquitto-" + port + ".conf");
        StringBuilder text = new StringBuilder();
        text.append("listener ").append(port).append(" 127.0.0.1\n");
        text.append("allow_anonymous true\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // started as root, mosquitto switches to the user 'mosquitto', which cannot write into the test's directory
            text.append("user root\n");
        }
        text.append("log_dest stderr\n");
        for (String type : List.of("error", "warning", "notice", "information", "subscribe")) {
            text.append("log_type ").append(type).append('\n');
        }
        for (String line : extraConfig) {
            text.append(line).append('\n');
        }
        Files.writeString(config, text.toString());
    }

    /** Skips the test when mosquitto is missing, or fails it when {@code CARDIOGATE_REQUIRE_TOOLS=1}. */
    static void requireInstalled(Path... tools) {
        boolean present = Files.isExecutable(MOSQUITTO);
        String missing = MOSQUITTO.toString();
        for (Path t : tools) {
            if (!Files.isExecutable(t)) {
                present = false;
                missing = t.toString();
            }
        }
        String message = missing + " is not installed (apt-get install mosquitto mosquitto-clients openssl)";
        if (!present && "1".equals(System.getenv("CARDIOGATE_REQUIRE_TOOLS"))) {
            Assertions.fail(message + " and CARDIOGATE_REQUIRE_TOOLS=1");
        }
        Assumptions.assumeTrue(present, message + ": skipping the real-broker test");
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Starts mosquitto on a free port with these extra configuration lines. */
    static MosquittoProcess start(Path dir, List<String> extraConfig) throws IOException {
        requireInstalled();
        MosquittoProcess m = new MosquittoProcess(dir, freePort(), extraConfig);
        m.start();
        return m;
    }

    /** Extra configuration for a persistent broker whose sessions and queued messages survive {@link #stop()}. */
    static List<String> persistentIn(Path dir) throws IOException {
        Files.createDirectories(dir);
        return List.of("persistence true", "persistence_location " + dir.toAbsolutePath() + "/",
                "autosave_interval 1", "max_queued_messages 0", "max_queued_bytes 0");
    }

    /** Starts (again) on the same port, waits until it accepts connections. */
    void start() throws IOException {
        process = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString()).redirectErrorStream(true).start();
        Process p = process;
        Thread.ofPlatform().daemon().name("mosquitto-log-" + port).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // the broker was stopped
            }
        });
        await().atMost(START_WAIT).until(() -> accepts(port) || !p.isAlive());
        if (!p.isAlive()) {
            throw new IllegalStateException("mosquitto did not start; its log: " + log);
        }
    }

    /** Stops with SIGTERM (mosquitto saves its persistence file) and waits for the process to end. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    int port() {
        return port;
    }

    String tcpUri() {
        return "tcp://127.0.0.1:" + port;
    }

    List<String> log() {
        return log;
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
