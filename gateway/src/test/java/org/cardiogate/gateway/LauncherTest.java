package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/gateway must say plainly when it finds no JDK 21 or newer, instead of failing somewhere in the build. */
class LauncherTest {

    @Test
    void theLauncherNamesTheMissingJdkAndWhereItLooked(@TempDir Path dir) throws Exception {
        // a fake java on PATH that reports version 17, and no other JDK anywhere
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        java.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("bash", ArchitectureTest.root().resolve("bin/gateway").toString(), "version");
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", bin + ":/bin");
        pb.environment().put("CARDIOGATE_JVM_DIRS", dir.resolve("nothing-here/*").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("no JDK 21 or newer found").contains("JAVA_HOME");
    }
}
