package org.cardiogate.inference.rhythm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.cardiogate.inference.beat.InferenceConfig;
import org.cardiogate.inference.beat.OnnxBeatClassifier;
import org.cardiogate.signal.AamiClass;
import org.cardiogate.signal.EventType;
import org.cardiogate.signal.wfdb.WfdbRecord;
import org.junit.jupiter.api.Test;

class OfflineRhythmAnalysisTest {

    private static Path shared(String... parts) {
        String shared = System.getProperty("cardiogate.shared");
        assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "data")),
                "reference recordings not found (system property cardiogate.shared): skipping");
        return Path.of(shared, "data").resolve(Path.of("", parts));
    }

    @Test
    void findsTheBigeminyAndVentricularBeatsOfRecord119() throws Exception {
        WfdbRecord rec = WfdbRecord.read(shared("mitdb", "119"));
        try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)) {
            OfflineRhythmAnalysis.Result r = OfflineRhythmAnalysis.analyze("ecg", rec.samplingFrequency(),
                    rec.physical(0), c, AfDetector.Config.DEFAULTS, EctopyMonitor.Config.DEFAULTS);
            assertThat(r.classes()).hasSameSizeAs(r.beatSamples());
            long v = java.util.Arrays.stream(r.classes()).filter(k -> k == AamiClass.V).count();
            // 119 has 444 ventricular beats among about 2000, mostly in bigeminy and trigeminy
            assertThat(v).isBetween(300L, 600L);
            assertThat(r.patterns()).anySatisfy(p -> assertThat(p).startsWith("BIGEMINY"));
            assertThat(r.events()).noneMatch(e -> e.type() == EventType.AF);
        }
    }

    @Test
    void reportsThePersistentAfOfACpscRecordAsOneLongEpisode() throws Exception {
        WfdbRecord rec = WfdbRecord.read(shared("cpsc2021", "data_84_1"));
        try (OnnxBeatClassifier c = OnnxBeatClassifier.loadDefault(InferenceConfig.CPU)) {
            OfflineRhythmAnalysis.Result r = OfflineRhythmAnalysis.analyze("ecg", rec.samplingFrequency(),
                    rec.physical(0), c, AfDetector.Config.DEFAULTS, EctopyMonitor.Config.DEFAULTS);
            long afSamples = r.events().stream().filter(e -> e.type() == EventType.AF)
                    .mapToLong(e -> e.offsetSample() - e.onsetSample()).sum();
            assertThat((double) afSamples / rec.length()).isGreaterThan(0.9);
        }
    }
}
