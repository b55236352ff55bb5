package org.cardiogate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cardiogate.gateway.config.GatewayConfig;
import org.cardiogate.signal.edf.EdfFile;
import org.cardiogate.signal.edf.EdfReader;
import org.cardiogate.ui.ActionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording made by a running gateway opens as EDF+ with beat annotations and can be analysed offline. */
class RecordingEndToEndIT {

    @Test
    void aRecordingStartedAndStoppedWhileRunningIsAReadableEdfThatAnalyzeAccepts(@TempDir Path data) throws Exception {
        GatewayConfig config = TestGateways.simulated(data, "rec", 72, 4);
        Path edf;
        try (GatewayRuntime g = GatewayRuntime.start(config)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> g.pipeline().beatCount() > 3);
            ActionResult started = g.recordings().start("bench", "test");
            assertThat(started.accepted()).as(started.reason()).isTrue();
            Thread.sleep(12_000);
            assertThat(g.recordings().stop(started.id(), "test").accepted()).isTrue();
            await().atMost(Duration.ofSeconds(15)).until(() -> g.recordings().file(started.id(), "edf").isPresent());
            edf = g.recordings().file(started.id(), "edf").orElseThrow();
        }
        EdfFile f = EdfReader.read(edf);
        assertThat(f.signals().size()).isGreaterThanOrEqualTo(5);
        assertThat(f.dataRecords()).isBetween(8, 14);
        long beats = f.annotations().stream().filter(a -> a.text().equals("N") || a.text().equals("Q")).count();
        assertThat(beats).isBetween(6L, 18L);

        Path out = data.resolve("out");
        assertThat(Main.execute("analyze", edf.toString(), "--out", out.toString())).isZero();
        String name = edf.getFileName().toString().replaceFirst("\\.edf$", "");
        List<String> lines = Files.readAllLines(out.resolve(name + ".csv"));
        assertThat(lines.get(0)).isEqualTo("sample,symbol");
        assertThat(lines.size() - 1).isBetween(6, 18);
    }
}
