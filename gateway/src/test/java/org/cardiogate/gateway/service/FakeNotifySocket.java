package org.cardiogate.gateway.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A stand-in for systemd's notify socket: a real {@code AF_UNIX}/{@code SOCK_DGRAM} socket bound by a Python
 * process (the JDK cannot bind one), which prints each datagram it receives as one line, newlines shown as
 * {@code |}. Tests skip when {@code /usr/bin/python3} is missing.
 */
final class FakeNotifySocket implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SERVER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print("listening", flush=True)
            while True:
                data = s.recv(4096)
                print(data.decode("utf-8").replace("\\n", "|"), flush=True)
            """;

    final Path path;
    private final Process process;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

    FakeNotifySocket(Path dir) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " for a datagram socket");
        this.path = dir.resolve("notify.sock");
        this.process = new ProcessBuilder(PYTHON, "-c", SERVER, path.toString()).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        if (!"listening".equals(first)) {
            throw new IOException("fake notify socket did not start: " + first);
        }
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    messages.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        });
    }

    /** The next message, or {@code null} after {@code millis}. */
    String next(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Every message received during the next {@code millis}, plus those already waiting. */
    List<String> collect(long millis) throws InterruptedException {
        Thread.sleep(millis);
        List<String> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
