package org.cardiogate.dsp.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cardiogate.dsp.quality.SignalQualityConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Noise stress test (NST method, see {@link NoiseStress}) on MIT-BIH 118 and 119 with the NST muscle artifact and
 * baseline wander records. Floors sit under what was measured (NoiseStressReport), so a regression fails; the full
 * table comes from {@link NoiseStressReport}.
 */
class NoiseStressTest {
    private static Path data;

    @BeforeAll
    static void findRecords() {
        String shared = System.getProperty("cardiogate.shared");
        data = shared == null ? null : Path.of(shared, "data");
        assumeTrue(data != null && Files.exists(data.resolve("mitdb/118.hea"))
                        && Files.exists(data.resolve("noise/ma.hea")) && Files.exists(data.resolve("noise/bw.hea")),
                "MIT-BIH or NST noise records not found under system property cardiogate.shared (" + shared
                        + "/data): skipped");
    }

    @ParameterizedTest(name = "{0} + {1} at {2} dB: Se >= {3} %, +P outside NOISE >= {4} %, NOISE < {5} %")
    @CsvSource({
        "118, ma, 12, 99.5, 99.5, 5",
        "118, ma, 6, 99.5, 98.0, 10",
        "119, ma, 6, 99.5, 97.0, 10",
        "118, bw, 6, 99.5, 99.5, 5",
        "118, ma, -6, 97.0, 88.0, 60",
    })
    void keepsDetectingInNoiseAndMarksTheWorstAsNoise(String record, String noise, double snr, double minSe,
                                                     double minPpOutside, double maxNoisePercent) throws Exception {
        NoiseStressReport.Row r = NoiseStressReport.run(data, record, noise, snr, SignalQualityConfig.defaults());
        assertThat(r.all().sensitivityPercent()).as("Se %s", r.all()).isGreaterThanOrEqualTo(minSe);
        assertThat(r.outside().positivePredictivityPercent()).as("+P outside NOISE %s", r.outside())
                .isGreaterThanOrEqualTo(minPpOutside);
        assertThat(100 * r.noiseShare()).as("share marked NOISE").isLessThan(maxNoisePercent);
        // the marking follows the noise: what is marked lies mostly in the noisy stretches
        assertThat(r.cleanMarked()).as("share of the clean stretches marked NOISE").isLessThan(0.02);
        if (snr <= -6) {
            assertThat(r.noisyMarked()).as("share of the noisy stretches marked NOISE").isGreaterThan(0.2);
            assertThat(r.outside().positivePredictivityPercent()).as("marking NOISE raises +P")
                    .isGreaterThan(r.all().positivePredictivityPercent() + 3);
        }
    }
}
