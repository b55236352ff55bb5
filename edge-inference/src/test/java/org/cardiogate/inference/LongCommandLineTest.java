package org.cardiogate.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cardiogate.inference.beat.InferenceConfig;
import org.cardiogate.inference.beat.OnnxBeatClassifier;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime 1.29.0 crashed the whole JVM (SIGSEGV, no hs_err file) while creating its environment whenever the
 * process's command line was longer than about 4 KB: {@code bin/gateway analyze} over a hundred record paths, or a
 * JVM started with a long {@code -cp}. This starts a JVM with a 12 KB command line (200 record-like arguments) that
 * loads the shipped classifier and classifies nothing else; it must exit normally.
 */
class LongCommandLineTest {

    /** Child main: load the shipped model on the CPU and say which provider it runs on. */
    public static final class LoadClassifier {
        private LoadClassifier() {
        }

        public static void main(String[] args) throws Exception {
            try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)) {
                System.out.println("loaded on " + c.provider() + " with " + args.length + " arguments");
            }
        }
    }

    @Test
    void theClassifierLoadsInAProcessWithAVeryLongCommandLine() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), LoadClassifier.class.getName()));
        for (int i = 0; i < 200; i++) {
            cmd.add(String.format("/var/lib/cardiogate/recordings/2026-11-22/bed-%03d/segment-%03d", i, i));
        }
        assertThat(String.join(" ", cmd).length()).isGreaterThan(12_000);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit code (139 = SIGSEGV) of a JVM loading ONNX Runtime; output:%n%s", out)
                .isZero();
        assertThat(out).contains("loaded on cpu with 200 arguments");
    }
}
