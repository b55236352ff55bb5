package org.cardiogate.sensor.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code socat} pty pair with stable link paths: {@link #boardEnd()} for the emulated board, {@link #hostEnd()}
 * for the driver. {@link #kill()} makes both vanish (like unplugging a USB serial board); a new pair on the same
 * directory brings the same paths back.
 */
public final class SocatPair implements AutoCloseable {
    public static final String REQUIRE_TOOLS = "CARDIOGATE_REQUIRE_TOOLS";
    private final Path dir;
    private final Process process;

    private SocatPair(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Skips the test when socat is missing, unless {@code CARDIOGATE_REQUIRE_TOOLS=1}: then it fails. */
    public static void assumeSocat() {
        boolean present = false;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            present |= Files.isExecutable(Path.of(d, "socat"));
        }
        if (!present && "1".equals(System.getenv(REQUIRE_TOOLS))) {
            fail("socat is not installed but " + REQUIRE_TOOLS + "=1: install it (apt-get install socat)");
        }
        assumeTrue(present, "socat is not installed: skipping the serial pty tests (apt-get install socat; set "
                + REQUIRE_TOOLS + "=1 to make this a failure)");
    }

    /** Starts socat and waits until both links exist. */
    public static SocatPair start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path a = dir.resolve("board");
        Path b = dir.resolve("host");
        Process p = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 250 && !(Files.exists(a) && Files.exists(b)); i++) {
            if (!p.isAlive()) {
                throw new IOException("socat exited with " + p.exitValue() + " before creating " + a + " and " + b);
            }
            Thread.sleep(20);
        }
        if (!(Files.exists(a) && Files.exists(b))) {
            p.destroyForcibly();
            throw new IOException("socat did not create " + a + " and " + b + " within 5 s");
        }
        return new SocatPair(dir, p);
    }

    public String boardEnd() {
        return dir.resolve("board").toString();
    }

    public String hostEnd() {
        return dir.resolve("host").toString();
    }

    /** Ends socat (SIGTERM) and waits for it: both ptys and their links vanish. */
    public void kill() {
        process.destroy();
        boolean interrupted = false;
        while (process.isAlive()) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
