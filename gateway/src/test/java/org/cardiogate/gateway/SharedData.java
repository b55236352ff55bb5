package org.cardiogate.gateway;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the reference recordings ({@code ../shared/data}); tests skip, saying so, when they are absent. */
final class SharedData {
    private SharedData() {
    }

    static Path data(String sub) {
        String prop = System.getProperty("cardiogate.shared", "../shared");
        Path p = Path.of(prop).resolve("data").resolve(sub);
        assumeTrue(Files.isDirectory(p), "reference recordings not found at " + p.toAbsolutePath()
                + " (set -Dcardiogate.shared=DIR); skipping");
        return p;
    }

    /** True when CI demands that external programs (mosquitto, chromium) exist instead of skipping. */
    static boolean toolsRequired() {
        return "1".equals(System.getenv("CARDIOGATE_REQUIRE_TOOLS"));
    }

    /** Skips (or, in CI, fails) when an external program is missing. */
    static Path tool(String path) {
        Path p = Path.of(path);
        if (!Files.isExecutable(p)) {
            if (toolsRequired()) {
                throw new AssertionError(path + " is required (CARDIOGATE_REQUIRE_TOOLS=1) but not installed");
            }
            assumeTrue(false, path + " is not installed; skipping (apt-get install it to run this test)");
        }
        return p;
    }
}
