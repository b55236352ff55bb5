package org.cardiogate.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A JVM of the test class path running one main class, for the crash tests that kill it: its console is read on a
 * daemon thread, each line offered to the test's handler; lines the handler does not take are kept as the log that
 * a failure message shows.
 */
public final class ChildJvm {
    public final Process process;
    public final Thread reader;
    private final StringBuilder log = new StringBuilder();

    private ChildJvm(Process process, Predicate<String> handler) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon(true).start(() -> read(handler));
    }

    /**
     * @param jvmArgs options before the class path (e.g. {@code --enable-native-access=ALL-UNNAMED})
     * @param handler takes a line of the child's console (stdout and stderr merged) and says whether it used it
     */
    public static ChildJvm start(List<String> jvmArgs, Class<?> main, List<String> args, Predicate<String> handler)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start(), handler);
    }

    private void read(Predicate<String> handler) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!handler.test(line)) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed mid-line
        }
    }

    /** The console lines no handler took. */
    public String log() {
        synchronized (log) {
            return log.toString();
        }
    }
}
