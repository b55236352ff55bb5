package org.cardiogate.dsp.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cardiogate.dsp.qrs.QrsDetectorConfig;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * QRS detection on MIT-BIH Arrhythmia records (first signal, 150 ms window, EC57 scoring) through the same
 * {@code EcgProcessor} the live loop uses. Floors are per record, set a little under what the detector reaches, so
 * a regression fails. The full 48-record table comes from {@link MitdbQrsReport}.
 */
class MitdbQrsAccuracyTest {
    private static Path mitdb;

    @BeforeAll
    static void findRecords() {
        String shared = System.getProperty("cardiogate.shared");
        mitdb = shared == null ? null : Path.of(shared, "data", "mitdb");
        assumeTrue(mitdb != null && Files.exists(mitdb.resolve("100.hea")),
                "MIT-BIH records not found under system property cardiogate.shared (" + shared + "/data/mitdb): skipped");
    }

    @ParameterizedTest(name = "record {0}: Se >= {1} %, +P >= {2} %")
    @CsvSource({
        "100, 99.9, 99.9",
        "101, 99.8, 99.5",
        "103, 99.8, 99.8",
        "105, 99.5, 98.0",
        "108, 99.4, 99.0",
        "119, 99.8, 99.8",
        "201, 97.9, 99.8",
        "203, 98.8, 98.5",
        "208, 99.3, 99.7",
        "210, 98.7, 99.5",
    })
    void detectsBeatsOfAMitBihRecordAboveItsFloor(String record, double minSe, double minPp) throws Exception {
        MatchResult m = MitdbQrsReport.evaluate(mitdb.resolve(record), QrsDetectorConfig.defaults());
        assertThat(m.sensitivityPercent()).as("Se of %s: %s", record, m).isGreaterThanOrEqualTo(minSe);
        assertThat(m.positivePredictivityPercent()).as("+P of %s: %s", record, m).isGreaterThanOrEqualTo(minPp);
        assertThat(Math.abs(m.medianOffsetSeconds())).as("median R offset of %s", record).isLessThanOrEqualTo(0.010);
    }

    @Test
    void reachesGrossSensitivityAndPositivePredictivityOfNinetyNinePointEightAndMarksLittleAsNoise() throws Exception {
        List<Path> records;
        try (var s = Files.list(mitdb)) {
            records = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".hea")).sorted()
                    .map(f -> mitdb.resolve(f.substring(0, f.length() - 4))).toList();
        }
        assumeTrue(records.size() == 48, "not all 48 MIT-BIH records under " + mitdb + ": gross test skipped");
        MatchResult total = MatchResult.empty();
        double seconds = 0;
        double noiseSeconds = 0;
        for (Path record : records) {
            MitdbQrsReport.Scored s = MitdbQrsReport.evaluateWithQuality(record);
            total = total.plus(s.result());
            seconds += s.signalSeconds();
            noiseSeconds += s.noiseShare() * s.signalSeconds();
        }
        // these are clinical recordings, some of them noisy (105, 108, 203, 207): most must still not be NOISE
        assertThat(noiseSeconds / seconds).as("share of the 48 records marked NOISE").isLessThan(0.02);
        assertThat(total.sensitivityPercent()).as("gross %s", total).isGreaterThanOrEqualTo(99.80);
        assertThat(total.positivePredictivityPercent()).as("gross %s", total).isGreaterThanOrEqualTo(99.84);
        assertThat(Math.abs(total.medianOffsetSeconds())).as("gross median offset").isLessThanOrEqualTo(0.003);
    }

    @Test
    void detectsAsWellAtHalfAndDoubleTheSampleRate() throws Exception {
        Path record = mitdb.resolve("100");
        WfdbRecord rec = WfdbRecord.read(record);
        double[] x = rec.physical(0);
        ReferenceBeats ref = ReferenceBeats.read(record, "atr");
        for (double factor : new double[] {0.5, 2.0}) {
            double fs = rec.samplingFrequency() * factor;
            double[] y = resample(x, factor);
            long[] refBeats = new long[ref.beats().length];
            for (int i = 0; i < refBeats.length; i++) {
                refBeats[i] = Math.round(ref.beats()[i] * factor);
            }
            long[] detected = OfflineRun.detect(y, fs, QrsDetectorConfig.defaults());
            MatchResult m = new BeatMatcher(fs).match(refBeats, detected);
            assertThat(m.sensitivityPercent()).as("Se at %s Hz: %s", fs, m).isGreaterThanOrEqualTo(99.8);
            assertThat(m.positivePredictivityPercent()).as("+P at %s Hz: %s", fs, m).isGreaterThanOrEqualTo(99.8);
            assertThat(Math.abs(m.medianOffsetSeconds())).as("offset at %s Hz", fs).isLessThanOrEqualTo(0.010);
        }
    }

    /** Linear interpolation to {@code factor} times the rate (0.5: 360 Hz to 180 Hz; 2: to 720 Hz). */
    private static double[] resample(double[] x, double factor) {
        int n = (int) Math.floor((x.length - 1) * factor) + 1;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / factor;
            int k = (int) Math.floor(t);
            double frac = t - k;
            y[i] = k + 1 < x.length ? x[k] * (1 - frac) + x[k + 1] * frac : x[k];
        }
        return y;
    }
}
