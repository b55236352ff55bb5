package org.cardiogate.gateway.service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** The repository's deployment files and a way to run the scripts, for the packaging tests. */
final class RepoFiles {
    private RepoFiles() {
    }

    /** The repository root: the nearest parent of the working directory holding {@code packaging/install.sh}. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("packaging/install.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no packaging/install.sh above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Output and exit code of a finished command. */
    record Result(int exit, String output) {
    }

    static Result run(List<String> command, Path dir, String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /**
     * Lays out a distribution like the assembled tarball in {@code dist}: the launcher, scripts, systemd files and
     * example configuration from the repository, and in {@code lib/} the jars of this test run's class path plus
     * {@code gateway-test.jar} made from the compiled gateway classes.
     */
    static void distribution(Path dist) throws IOException {
        Path root = root();
        Files.createDirectories(dist.resolve("bin"));
        Files.createDirectories(dist.resolve("lib"));
        Files.createDirectories(dist.resolve("systemd"));
        Files.createDirectories(dist.resolve("config"));
        copyExecutable(root.resolve("packaging/bin/gateway"), dist.resolve("bin/gateway"));
        copyExecutable(root.resolve("packaging/install.sh"), dist.resolve("install.sh"));
        copyExecutable(root.resolve("packaging/uninstall.sh"), dist.resolve("uninstall.sh"));
        for (String f : List.of("cardiogate.service", "99-cardiogate.rules", "cardiogate.sysusers", "cardiogate.tmpfiles")) {
            Files.copy(root.resolve("systemd").resolve(f), dist.resolve("systemd").resolve(f));
        }
        Files.copy(root.resolve("config/gateway.example.yaml"), dist.resolve("config/gateway.example.yaml"));
        Files.copy(root.resolve("packaging/README.md"), dist.resolve("INSTALL.md"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            Path e = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(e) && !e.getFileName().toString().startsWith("surefire")) {
                Files.copy(e, dist.resolve("lib").resolve(e.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else if (Files.isDirectory(e) && e.getFileName().toString().equals("classes")) {
                jar(e, dist.resolve("lib/gateway-test.jar"));
            }
        }
    }

    private static void copyExecutable(Path from, Path to) throws IOException {
        Files.copy(from, to);
        to.toFile().setExecutable(true, false);
    }

    private static void jar(Path classes, Path jar) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(classes)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }
}
